package dev.portier.access.audit;

/**
 * The audit log is held by another process (normally the running gateway): a tool should hand its event to
 * the gateway through the {@link AuditInbox} instead of writing the log itself.
 */
public final class AuditLogBusyException extends AuditException {
    public AuditLogBusyException(String message) {
        super(message);
    }
}
