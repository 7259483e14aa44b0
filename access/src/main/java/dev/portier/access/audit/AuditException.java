package dev.portier.access.audit;

/** The audit log cannot be written or read. */
public class AuditException extends Exception {
    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuditException(String message) {
        super(message);
    }
}
