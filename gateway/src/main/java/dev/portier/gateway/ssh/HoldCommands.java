package dev.portier.gateway.ssh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.access.identity.Identity;
import dev.portier.gateway.core.Auditor;
import dev.portier.gateway.evidence.HoldReasons;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.storage.Hold;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Legal holds over SSH, for auditors: {@code hold <recording-id> --reason TEXT} and
 * {@code release <recording-id> [--reason TEXT]}. The event is audited before the hold changes, so an unwritable
 * audit log changes nothing; refusals are audited too. Runs on the command pool: it may wait on the object store.
 */
final class HoldCommands {
    static final Set<String> NAMES = Set.of("hold", "release");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordingStore store;
    private final Auditor audit;

    HoldCommands(RecordingStore store, Auditor audit) {
        this.store = store;
        this.audit = audit;
    }

    int run(Identity id, String cmd, CommandArgs a, CommandIO io) {
        boolean hold = cmd.equals("hold");
        String usage = hold ? "hold <recording-id> --reason TEXT [--json]" : "release <recording-id> [--reason TEXT] [--json]";
        if (a.positional.size() != 1) {
            io.err("portier: usage: " + usage + "\n");
            return 2;
        }
        String reason = a.value("--reason");
        String problem = hold || reason != null ? HoldReasons.problem(reason) : null;
        if (problem != null) {
            io.err("portier: " + cmd + ": " + problem + "\n");
            return 2;
        }
        String rid = a.positional.get(0);
        Optional<RecordingInfo> found = store.find(rid);
        if (found.isEmpty()) {
            io.err("portier: " + cmd + ": no recording " + PortierCommands.printable(rid) + "; run: recordings\n");
            return 1;
        }
        RecordingInfo r = found.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("recording", r.id());
        details.put("owner", r.user());
        details.put("account", r.account());
        if (!RecordingCommands.seesAll(id)) {
            audit.record("recording." + cmd + ".refused", id.user(), r.target(), r.sessionId(), "deny", "not-auditor",
                    details);
            io.err("portier: " + cmd + ": only auditors place and release legal holds\n");
            return 1;
        }
        try {
            return hold ? hold(id, r, reason, details, a.flag("--json"), io)
                    : release(id, r, reason, details, a.flag("--json"), io);
        } catch (IOException e) {
            audit.record("recording." + cmd + ".failed", id.user(), r.target(), r.sessionId(), null,
                    String.valueOf(e.getMessage()), details);
            io.err("portier: " + cmd + ": the hold of " + r.id() + " could not be " + (hold ? "stored" : "removed")
                    + " (the recording store cannot be reached); nothing changed, try again later\n");
            return 1;
        }
    }

    private int hold(Identity id, RecordingInfo r, String reason, Map<String, Object> details, boolean json,
            CommandIO io) throws IOException {
        Optional<Hold> existing = store.storage().holds().get(r.id());
        if (existing.isPresent() || store.storage().holds().isHeld(r.id())) {
            io.out(json ? json(existing.orElse(new Hold(r.id(), null, null, null)), true) + "\n"
                    : "Recording " + r.id() + " is already under legal hold"
                    + existing.filter(h -> h.by() != null).map(h -> " (" + h.by() + ": " + h.reason() + ")").orElse("")
                    + ".\n");
            return 0;
        }
        if (!audit.record("recording.hold", id.user(), r.target(), r.sessionId(), "allow", reason, details)) {
            io.err("portier: hold: the audit log cannot be written, so nothing changed; tell a Portier administrator\n");
            return 1;
        }
        Hold h = new Hold(r.id(), reason, id.user(), Instant.now());
        store.storage().holds().place(h);
        io.out(json ? json(h, true) + "\n" : "Recording " + r.id() + " is under legal hold: retention will not delete"
                + " it until it is released.\n");
        return 0;
    }

    private int release(Identity id, RecordingInfo r, String reason, Map<String, Object> details, boolean json,
            CommandIO io) throws IOException {
        if (!store.storage().holds().isHeld(r.id())) {
            io.err("portier: release: recording " + r.id() + " is not under legal hold\n");
            return 1;
        }
        store.storage().holds().get(r.id()).ifPresent(h -> {
            details.put("heldBy", h.by());
            details.put("heldFor", h.reason());
        });
        if (!audit.record("recording.release", id.user(), r.target(), r.sessionId(), "allow",
                reason != null ? reason : "released", details)) {
            io.err("portier: release: the audit log cannot be written, so nothing changed; tell a Portier"
                    + " administrator\n");
            return 1;
        }
        Hold h = store.storage().holds().release(r.id()).orElse(new Hold(r.id(), null, null, null));
        io.out(json ? json(h, false) + "\n" : "Recording " + r.id() + " is no longer under legal hold.\n");
        return 0;
    }

    private static ObjectNode json(Hold h, boolean held) {
        ObjectNode n = JSON.createObjectNode();
        n.put("recording", h.recording());
        n.put("held", held);
        n.put("reason", h.reason());
        n.put("by", h.by());
        n.put("since", h.since() == null ? null : h.since().toString());
        return n;
    }
}
