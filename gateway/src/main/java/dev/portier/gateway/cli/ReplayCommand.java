package dev.portier.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.recorder.RecordingStore;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code portier replay <id> [--speed N]}: plays a recording's output in this terminal, in real time. */
@Command(name = "replay", description = "Replay a recording in the terminal.")
final class ReplayCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MAX_PAUSE = 2.0;

    @ParentCommand
    PortierCli parent;

    @Parameters(paramLabel = "<id>")
    String id;

    @Option(names = "--speed", defaultValue = "1", description = "playback speed factor (default 1)")
    double speed;

    @Override
    public Integer call() throws Exception {
        if (!(speed > 0) || speed > 1000) {
            throw new PortierCli.CliException("--speed must be between 0 and 1000", 2);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (RecordingStore store = RecordingsCommand.store(parent)) {
            if (store.find(id).isEmpty()) {
                throw new PortierCli.CliException("no recording " + id + "; run: portier recordings list", 1);
            }
            store.export(id, buf);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader r = new BufferedReader(new StringReader(buf.toString(StandardCharsets.UTF_8)));
        r.readLine();
        double last = 0;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode ev = JSON.readTree(line);
            double t = ev.get(0).asDouble();
            // Long idle gaps are capped so a replay of a quiet session does not stall.
            double pause = Math.min((t - last) / speed, MAX_PAUSE);
            if (pause > 0.001) {
                Thread.sleep((long) (pause * 1000));
            }
            last = t;
            if ("o".equals(ev.get(1).asText())) {
                out.print(ev.get(2).asText());
            }
        }
        out.flush();
        return 0;
    }
}
