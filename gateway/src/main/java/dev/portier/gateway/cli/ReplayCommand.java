package dev.portier.gateway.cli;

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

/** {@code portier replay <id> [--speed N]}: plays a recording's output in this terminal, in real time. */
@Command(name = "replay", description = "Replay a recording in the terminal.")
final class ReplayCommand implements Callable<Integer> {
    @ParentCommand
    PortierCli parent;

    @Parameters(paramLabel = "<id>")
    String id;

    @Option(names = "--speed", defaultValue = "1", description = "playback speed factor (default 1)")
    double speed;

    @Override
    public Integer call() throws Exception {
        if (!RecordingPlayer.validSpeed(speed)) {
            throw new PortierCli.CliException("--speed must be between 0 and 1000", 2);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (RecordingStore store = RecordingsCommand.store(parent)) {
            if (store.find(id).isEmpty()) {
                throw new PortierCli.CliException("no recording " + id + "; run: portier recordings list", 1);
            }
            RecordingPlayer.play(store, id, speed, RecordingPlayer.printing(out::print));
        } catch (RecordingCryptoException e) {
            throw new PortierCli.CliException("cannot replay: " + e.getMessage(), 1);
        } catch (java.io.IOException e) {
            throw new PortierCli.CliException("cannot replay " + id + ": " + e.getMessage(), 1);
        }
        out.flush();
        return 0;
    }
}
