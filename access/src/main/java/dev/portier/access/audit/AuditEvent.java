package dev.portier.access.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One audit event (a JSON line in the audit log). {@code prevHash} and {@code hash} are added by the log.
 *
 * @param type     e.g. {@code auth.success}, {@code auth.failure}, {@code session.start}, {@code session.end},
 *                 {@code access.denied}, {@code vault.read}, {@code hostkey.mismatch}, {@code forwarding.refused}
 * @param decision {@code allow}, {@code deny} or null
 * @param details  extra fields (bytes, exitStatus, durationMs, ...); never a secret
 */
public record AuditEvent(
        Instant time,
        String type,
        String actor,
        String target,
        String sessionId,
        String requestId,
        String decision,
        String reason,
        Map<String, Object> details) {

    public AuditEvent {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static AuditEvent of(String type, String actor, String target, String sessionId, String decision,
            String reason, Map<String, Object> details) {
        return new AuditEvent(Instant.now(), type, actor, target, sessionId, null, decision, reason, details);
    }
}
