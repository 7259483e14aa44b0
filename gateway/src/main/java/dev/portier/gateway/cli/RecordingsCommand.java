package dev.portier.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.config.PortierConfig;
import dev.portier.gateway.evidence.RecordingStorages;
import dev.portier.gateway.evidence.VaultRecordingKeys;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.recorder.storage.Hold;
import dev.portier.recorder.storage.RecordingStorage;
import dev.portier.vault.Vault;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portier recordings list [--json]}, {@code portier recordings search --grep TEXT ...},
 * {@code recordings hold <id> --reason TEXT} and {@code recordings release <id>} ({@link HoldCommands}).
 */
@Command(name = "recordings", description = "List and search session recordings; place and release legal holds.",
        subcommands = {RecordingsCommand.ListRecordings.class, SearchCommand.class, HoldCommands.HoldRecording.class,
                HoldCommands.ReleaseRecording.class})
final class RecordingsCommand {
    @ParentCommand
    PortierCli parent;

    /**
     * The recordings of the configured data directory, through the configured storage (reading only: uploads are
     * {@code serve}'s), so a recording whose local copy went to the object store reads as usual; encrypted ones are
     * decrypted with the master key, opened when needed.
     */
    static RecordingStore store(PortierCli cli) throws PortierCli.CliException {
        PortierConfig config = cli.loadConfig();
        Path data = config.server().dataDir();
        Path dir = data.resolve("recordings");
        try {
            return new RecordingStore(dir, EvidenceSigner.generate(), dev.portier.recorder.RecorderSettings.DEFAULTS,
                    VaultRecordingKeys.of(data), true, RecordingStorages.open(config, dir, () -> Vault.open(data)));
        } catch (IllegalStateException | IOException e) {
            throw new PortierCli.CliException("cannot open the recordings of " + data + ": " + e.getMessage(), 1);
        }
    }

    @Command(name = "list", description = "One line per recording; --json gives one JSON object per line.")
    static final class ListRecordings implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @ParentCommand
        RecordingsCommand recordings;

        @Option(names = "--json", description = "one JSON object per recording")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (RecordingStore store = store(recordings.parent)) {
                for (RecordingInfo r : store.list()) {
                    print(r, store.storage());
                }
            }
            return 0;
        }

        /** One recording, with where it is: local, spooled or uploaded, and held when under legal hold. */
        private void print(RecordingInfo r, RecordingStorage storage) throws IOException {
            String location = storage.locate(r.id()).key();
            Optional<Hold> hold = storage.holds().get(r.id());
            if (!json) {
                System.out.printf("%s  %-10s %-8s %s/%s  %s  %s%s%n", r.id(), r.status(), r.user(), r.target(),
                        r.account(), r.start(), location, hold.isPresent() ? " held" : "");
                return;
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("id", r.id());
            n.put("sessionId", r.sessionId());
            n.put("user", r.user());
            n.put("target", r.target());
            n.put("account", r.account());
            n.put("start", r.start() == null ? null : r.start().toString());
            n.put("end", r.end() == null ? null : r.end().toString());
            n.put("status", r.status());
            n.put("location", location);
            n.put("held", hold.isPresent());
            hold.ifPresent(h -> n.put("holdReason", h.reason()));
            System.out.println(n);
        }
    }
}
