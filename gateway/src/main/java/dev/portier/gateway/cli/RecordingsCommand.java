package dev.portier.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code portier recordings list [--json]} and {@code portier recordings search --grep TEXT ...}. */
@Command(name = "recordings", description = "List and search session recordings.",
        subcommands = {RecordingsCommand.ListRecordings.class, SearchCommand.class})
final class RecordingsCommand {
    @ParentCommand
    PortierCli parent;

    static RecordingStore store(PortierCli cli) throws PortierCli.CliException {
        Path dir = cli.dataDir().resolve("recordings");
        return new RecordingStore(dir);
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
            List<RecordingInfo> all;
            try (RecordingStore store = store(recordings.parent)) {
                all = store.list();
            }
            for (RecordingInfo r : all) {
                if (json) {
                    ObjectNode n = JSON.createObjectNode();
                    n.put("id", r.id());
                    n.put("sessionId", r.sessionId());
                    n.put("user", r.user());
                    n.put("target", r.target());
                    n.put("account", r.account());
                    n.put("start", r.start() == null ? null : r.start().toString());
                    n.put("end", r.end() == null ? null : r.end().toString());
                    n.put("status", r.status());
                    System.out.println(n);
                } else {
                    System.out.printf("%s  %-10s %-8s %s/%s  %s%n", r.id(), r.status(), r.user(), r.target(),
                            r.account(), r.start());
                }
            }
            return 0;
        }
    }
}
