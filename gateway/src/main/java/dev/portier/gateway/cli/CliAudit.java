package dev.portier.gateway.cli;

import dev.portier.access.audit.AuditEvent;
import dev.portier.access.audit.AuditException;
import dev.portier.access.audit.AuditInbox;
import dev.portier.access.audit.AuditLogBusyException;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.gateway.Gateway;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Audits an action of a command-line tool before the tool acts (fail closed). When no gateway runs, the tool
 * appends to the audit log itself, signed with the evidence key like the gateway's writes, after any events
 * other tools left waiting. While a gateway holds the log, the event goes through the {@link AuditInbox} and
 * the tool waits until the gateway has recorded it; if it does not within {@link #WAIT}, the event is
 * withdrawn (or, when already claimed, left to be recorded) and the action refused.
 */
final class CliAudit {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final long POLL_MS = 50;

    private CliAudit() {
    }

    /**
     * Records {@code event} in the audit log under {@code data}.
     *
     * @param refused what the user is told did not happen when the event cannot be recorded, e.g. "nothing was resolved"
     */
    static void record(Path data, AuditEvent event, String refused) throws PortierCli.CliException {
        Path auditDir = data.resolve("audit");
        EvidenceSigner signer;
        try {
            // Never a new master key from a tool: it could only fail to open what the gateway sealed.
            signer = Gateway.evidenceSigner(Vault.openExisting(data), data);
        } catch (VaultException | IOException e) {
            throw new PortierCli.CliException("cannot open the evidence key (" + e.getMessage() + "); " + refused, 1);
        }
        AuditInbox inbox = new AuditInbox(auditDir);
        try (FileAuditLog log = new FileAuditLog(auditDir, signer::sign)) {
            inbox.drainInto(log);
            log.record(event);
            return;
        } catch (AuditLogBusyException busy) {
            handOver(inbox, event, refused);
        } catch (AuditException e) {
            throw new PortierCli.CliException("cannot record this in the audit log (" + e.getMessage() + "); "
                    + refused, 1);
        }
    }

    /**
     * Audits that the person at this terminal reads recording {@code r} ({@code recording.replayed},
     * {@code recording.exported}): who (the operating-system user, or {@code as}), whose session, and how.
     */
    static void recordingRead(Path data, String type, dev.portier.recorder.RecordingInfo r, String as,
            java.util.Map<String, Object> how, String refused) throws PortierCli.CliException {
        String osUser = System.getProperty("user.name");
        java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("recording", r.id());
        if (r.user() != null) {
            details.put("owner", r.user());
        }
        details.put("osUser", osUser);
        details.put("via", "cli");
        how.forEach((k, v) -> {
            if (v != null) {
                details.put(k, v);
            }
        });
        record(data, AuditEvent.of(type, as != null ? as : osUser, r.target(), r.sessionId(), "allow",
                "command line on the gateway host", details), refused);
    }

    private static void handOver(AuditInbox inbox, AuditEvent event, String refused) throws PortierCli.CliException {
        Path posted;
        try {
            posted = inbox.post(event);
        } catch (AuditException e) {
            throw new PortierCli.CliException("the gateway holds the audit log and this event cannot be handed to it ("
                    + e.getMessage() + "); " + refused, 1);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (inbox.recorded(posted)) {
                return;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inbox.recorded(posted)) {
            return;
        }
        if (!inbox.withdraw(posted)) {
            throw new PortierCli.CliException("the gateway took the audit event but did not confirm it within "
                    + WAIT.toSeconds() + " s (it will be recorded when the gateway restarts); " + refused, 1);
        }
        throw new PortierCli.CliException("the audit log is held by another process that did not take the event within "
                + WAIT.toSeconds() + " s (is the gateway stuck?); " + refused, 1);
    }
}
