package dev.portier.gateway.keycloak;

/**
 * An SSH login through Keycloak was refused. {@link #getMessage()} is the reason for the audit log;
 * {@link #userMessage()} is the one sentence shown to the person, or null when the refusal stays silent (an unknown
 * name gets the same answer as a wrong key, so logins cannot be used to find out who exists).
 */
public final class KeycloakLoginException extends Exception {
    private final String userMessage;

    public KeycloakLoginException(String auditReason, String userMessage) {
        super(auditReason);
        this.userMessage = userMessage;
    }

    public KeycloakLoginException(String auditReason, String userMessage, Throwable cause) {
        super(auditReason, cause);
        this.userMessage = userMessage;
    }

    /** What to tell the person, or null to refuse without a word. */
    public String userMessage() {
        return userMessage;
    }
}
