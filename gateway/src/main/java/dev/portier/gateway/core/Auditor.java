package dev.portier.gateway.core;

import dev.portier.access.audit.AuditEvent;
import dev.portier.access.audit.AuditException;
import dev.portier.access.audit.AuditSink;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records audit events for the fronts. A write failure is logged and reported to the caller, which then
 * refuses whatever it was about to allow (fail closed).
 */
public final class Auditor {
    private static final Logger LOG = LoggerFactory.getLogger(Auditor.class);
    private final AuditSink sink;

    public Auditor(AuditSink sink) {
        this.sink = sink;
    }

    /** @return false when the event could not be written */
    public boolean record(String type, String actor, String target, String sessionId, String decision, String reason,
            Map<String, Object> details) {
        try {
            Map<String, Object> clean = new java.util.LinkedHashMap<>();
            if (details != null) {
                // Absent values are left out rather than written as null (and Map.copyOf refuses nulls).
                details.forEach((k, v) -> {
                    if (v != null) {
                        clean.put(k, v);
                    }
                });
            }
            sink.record(AuditEvent.of(type, actor, target, sessionId, decision, reason, clean));
            return true;
        } catch (AuditException | RuntimeException e) {
            LOG.error("audit log write failed for {} (session {}): {}", type, sessionId, e.toString());
            return false;
        }
    }
}
