package dev.portier.gateway.cli;

import dev.portier.access.audit.AuditEvent;
import dev.portier.gateway.evidence.HoldReasons;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.storage.Hold;
import java.io.IOException;
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
 * when that is impossible, nothing changes. While {@code serve} runs on the same data directory, the event
 * reaches the audit log through the gateway ({@link CliAudit}).
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
                audit(recordings.parent, AuditEvent.of("recording.hold", actor, r.target(), r.sessionId(),
                        "allow", reason, details(r)));
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
                audit(recordings.parent, AuditEvent.of("recording.release", actor(as), r.target(),
                        r.sessionId(), "allow", reason != null ? reason : "released", details));
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

    /** Writes the event to the audit log (through the running gateway if there is one), or fails: then nothing changes. */
    private static void audit(PortierCli cli, AuditEvent event) throws PortierCli.CliException {
        CliAudit.record(cli.dataDir(), event, "nothing changed");
    }

    private static PortierCli.CliException storeDown(String id, IOException e) {
        return new PortierCli.CliException("the hold of " + id + " could not be changed (" + e.getMessage()
                + "); try again when the recording store can be reached", 1);
    }
}
