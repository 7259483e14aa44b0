package dev.portier.gateway.cli;

import dev.portier.access.audit.AuditEvent;
import dev.portier.access.audit.AuditException;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.gateway.Gateway;
import dev.portier.gateway.evidence.HoldReasons;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.recorder.storage.Hold;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portier recordings hold <id> --reason TEXT} and {@code portier recordings release <id>}: legal holds from
 * the command line. Each is written to the audit log first ({@code recording.hold}, {@code recording.release});
 * when that is impossible, nothing changes. The audit log has one writer, so while {@code serve} runs on the
 * same data directory these say so and point to the SSH commands, which audit through the running gateway.
 */
final class HoldCommands {
    private HoldCommands() {
    }

    @Command(name = "hold", description = "Put a recording under legal hold: retention never deletes it. Audited.")
    static final class HoldRecording implements Callable<Integer> {
        @ParentCommand
        RecordingsCommand recordings;

        @Parameters(paramLabel = "<id>")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT", required = true,
                description = "why (a case or ticket reference), recorded with the hold and in the audit log")
        String reason;

        @Option(names = "--as", paramLabel = "AUDITOR",
                description = "who holds it, recorded as the actor (default: the operating-system user)")
        String as;

        @Override
        public Integer call() throws Exception {
            String problem = HoldReasons.problem(reason);
            if (problem != null) {
                throw new PortierCli.CliException(problem, 2);
            }
            try (RecordingStore store = RecordingsCommand.store(recordings.parent)) {
                RecordingInfo r = find(store, id);
                Optional<Hold> existing = store.storage().holds().get(r.id());
                if (existing.isPresent() || store.storage().holds().isHeld(r.id())) {
                    System.out.println("Recording " + r.id() + " is already under legal hold"
                            + existing.filter(h -> h.by() != null).map(h -> " (" + h.by() + ": " + h.reason() + ")")
                                    .orElse("") + ".");
                    return 0;
                }
                String actor = actor(as);
                audit(recordings.parent, "hold", AuditEvent.of("recording.hold", actor, r.target(), r.sessionId(),
                        "allow", reason, details(r)), r.id());
                store.storage().holds().place(new Hold(r.id(), reason, actor, Instant.now()));
                System.out.println("Recording " + r.id() + " is under legal hold: retention will not delete it until"
                        + " it is released.");
            } catch (IOException e) {
                throw storeDown(id, e);
            }
            return 0;
        }
    }

    @Command(name = "release", description = "Release a recording's legal hold; retention applies again. Audited.")
    static final class ReleaseRecording implements Callable<Integer> {
        @ParentCommand
        RecordingsCommand recordings;

        @Parameters(paramLabel = "<id>")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why, recorded in the audit log")
        String reason;

        @Option(names = "--as", paramLabel = "AUDITOR",
                description = "who releases it, recorded as the actor (default: the operating-system user)")
        String as;

        @Override
        public Integer call() throws Exception {
            String problem = reason == null ? null : HoldReasons.problem(reason);
            if (problem != null) {
                throw new PortierCli.CliException(problem, 2);
            }
            try (RecordingStore store = RecordingsCommand.store(recordings.parent)) {
                RecordingInfo r = find(store, id);
                if (!store.storage().holds().isHeld(r.id())) {
                    throw new PortierCli.CliException("recording " + r.id() + " is not under legal hold", 1);
                }
                Map<String, Object> details = details(r);
                store.storage().holds().get(r.id()).ifPresent(h -> {
                    details.put("heldBy", h.by());
                    details.put("heldFor", h.reason());
                });
                audit(recordings.parent, "release", AuditEvent.of("recording.release", actor(as), r.target(),
                        r.sessionId(), "allow", reason != null ? reason : "released", details), r.id());
                store.storage().holds().release(r.id());
                System.out.println("Recording " + r.id() + " is no longer under legal hold.");
            } catch (IOException e) {
                throw storeDown(id, e);
            }
            return 0;
        }
    }

    private static RecordingInfo find(RecordingStore store, String id) throws PortierCli.CliException {
        return store.find(id).orElseThrow(() -> new PortierCli.CliException("no recording " + id
                + "; run: portier recordings list", 1));
    }

    private static Map<String, Object> details(RecordingInfo r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("recording", r.id());
        d.put("owner", r.user());
        if (r.account() != null) {
            d.put("account", r.account());
        }
        d.put("osUser", System.getProperty("user.name"));
        return d;
    }

    private static String actor(String as) {
        return as != null ? as : System.getProperty("user.name");
    }

    /** Writes the event, signed with the evidence key like the gateway's own, or fails: then nothing changes. */
    private static void audit(PortierCli cli, String what, AuditEvent event, String id) throws PortierCli.CliException {
        Path data = cli.dataDir();
        EvidenceSigner signer;
        try {
            signer = Gateway.evidenceSigner(Vault.open(data), data);
        } catch (VaultException | IOException e) {
            throw new PortierCli.CliException("cannot open the evidence key (" + e.getMessage() + "); nothing changed", 1);
        }
        try (FileAuditLog log = new FileAuditLog(data.resolve("audit"), signer::sign)) {
            log.record(event);
        } catch (AuditException e) {
            throw new PortierCli.CliException("cannot write the audit log (" + e.getMessage() + "), so nothing changed;"
                    + " while the gateway runs, use: ssh -p 2222 <auditor>@<portier> " + what + " " + id
                    + (what.equals("hold") ? " --reason TEXT" : ""), 1);
        }
    }

    private static PortierCli.CliException storeDown(String id, IOException e) {
        return new PortierCli.CliException("the hold of " + id + " could not be changed (" + e.getMessage()
                + "); try again when the recording store can be reached", 1);
    }
}
