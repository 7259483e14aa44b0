package dev.portier.gateway.api;

/**
 * A bearer token was refused, or one could not be issued. The message is for the audit log and the
 * operator; clients get a fixed sentence (see {@link #expired()}), never the details of why a forgery failed.
 */
public final class TokenException extends Exception {
    private final boolean expired;

    TokenException(String message, boolean expired) {
        super(message);
        this.expired = expired;
    }

    TokenException(String message) {
        this(message, false);
    }

    /** True when the token was genuine but is past its lifetime: the client may simply get a new one. */
    public boolean expired() {
        return expired;
    }
}
