package dev.portier.access.service;

/**
 * An expected refusal or failure of the access service: a one-sentence message for the user and a stable
 * code for audit and scripts (e.g. {@code self-approval}, {@code not-pending}, {@code duration-too-long}).
 */
public final class AccessException extends Exception {
    private final String code;

    public AccessException(String code, String message) {
        super(message);
        this.code = code;
    }

    public AccessException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
