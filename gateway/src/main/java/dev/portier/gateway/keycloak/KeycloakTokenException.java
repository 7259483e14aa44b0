package dev.portier.gateway.keycloak;

/**
 * A Keycloak token was refused. The message is for the audit log and the operator, never for the client: it may
 * say why a forgery failed.
 */
public final class KeycloakTokenException extends Exception {
    private final boolean expired;

    KeycloakTokenException(String message, boolean expired) {
        super(message);
        this.expired = expired;
    }

    KeycloakTokenException(String message) {
        this(message, false);
    }

    /** True when the token was genuine but is past its lifetime: the client may simply get a new one. */
    public boolean expired() {
        return expired;
    }
}
