package dev.portier.access.audit;

/** Where audit events go. Thread-safe; {@link #record} never blocks on the network. */
public interface AuditSink {
    /**
     * Appends the event durably (written and flushed before returning).
     *
     * @throws AuditException if it cannot be written (callers fail closed)
     */
    void record(AuditEvent event) throws AuditException;
}
