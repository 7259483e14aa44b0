package dev.portier.gateway.cli;

import dev.portier.gateway.evidence.Offsets;
import dev.portier.gateway.evidence.RecordingPlayer;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.crypt.RecordingCryptoException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portier replay <id> [--speed N] [--skip-idle] [--from [hh:]mm:ss]}: plays a recording's output in this
 * terminal with its timing. Audited ({@code recording.replayed}) before the first frame.
 */
@Command(name = "replay", description = "Replay a recording in the terminal.")
final class ReplayCommand implements Callable<Integer> {
    @ParentCommand
    PortierCli parent;

    @Parameters(paramLabel = "<id>")
    String id;

    @Option(names = "--speed", paramLabel = "N", description = "playback speed factor, above 0 and at most 1000"
            + " (default 1)")
    String speed;

    @Option(names = "--skip-idle", description = "cap every pause at 1 s of recording time (before --speed)")
    boolean skipIdle;

    @Option(names = "--from", paramLabel = "[hh:]mm:ss", description = "show the output up to this offset at once,"
            + " then play on in real time (e.g. the offset of a search hit)")
    String from;

    @Option(names = "--as", paramLabel = "AUDITOR",
            description = "who watches, recorded as the actor (default: the operating-system user)")
    String as;

    @Override
    public Integer call() throws Exception {
        RecordingPlayer.Options options;
        try {
            options = RecordingPlayer.Options.parse(speed, skipIdle, from);
        } catch (IllegalArgumentException e) {
            throw new PortierCli.CliException(e.getMessage(), 2);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        RecordingPlayer.Played played;
        try (RecordingStore store = RecordingsCommand.store(parent)) {
            var recording = store.find(id).orElseThrow(() -> new PortierCli.CliException("no recording " + id
                    + "; run: portier recordings list", 1));
            // Who watched what, before the first frame (fail closed), as the SSH replay does.
            java.util.Map<String, Object> how = new java.util.LinkedHashMap<>();
            how.put("skipIdle", skipIdle);
            if (from != null) {
                how.put("from", from);
            }
            if (speed != null) {
                how.put("speed", speed);
            }
            CliAudit.recordingRead(parent.dataDir(), "recording.replayed", recording, as, how, "nothing was replayed");
            played = RecordingPlayer.play(store, id, options, RecordingPlayer.printing(out::print));
        } catch (RecordingCryptoException e) {
            throw new PortierCli.CliException("cannot replay: " + e.getMessage(), 1);
        } catch (java.io.IOException e) {
            throw new PortierCli.CliException("cannot replay " + id + ": " + e.getMessage(), 1);
        }
        out.flush();
        if (!played.reachedFrom()) {
            System.err.println("\nportier: the recording ends at " + Offsets.format(played.endMillis())
                    + ", before --from " + Offsets.format(options.fromMillis()) + "; all of it was shown");
        }
        return 0;
    }
}
