package dev.portier.gateway.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.recorder.RecordingStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Plays a recording's output ({@code o} events of its asciicast v2 export) with the original timing, for the
 * CLI's and the SSH front's {@code replay}. Idle gaps are capped at {@value #MAX_PAUSE} s (before the speed
 * factor is applied) so a quiet session does not stall the replay. Blocking: call it on a worker thread.
 */
public final class RecordingPlayer {
    public static final double MAX_SPEED = 1000;
    static final double MAX_PAUSE = 2.0;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the replayed output goes. */
    public interface Screen {
        void output(String text);

        /** False once the viewer went away; the replay stops then. */
        default boolean open() {
            return true;
        }
    }

    private RecordingPlayer() {
    }

    /** @return whether {@code speed} is a valid playback factor (0 < speed <= {@value #MAX_SPEED}) */
    public static boolean validSpeed(double speed) {
        return speed > 0 && speed <= MAX_SPEED;
    }

    /**
     * Plays recording {@code id} of {@code store} on {@code screen} as it is read (and decrypted): a long recording
     * is never held in memory whole. The recording must exist.
     *
     * @throws dev.portier.recorder.crypt.RecordingCryptoException if it is encrypted and cannot be decrypted
     */
    public static void play(RecordingStore store, String id, double speed, Screen screen)
            throws IOException, InterruptedException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(store.openPlain(id), StandardCharsets.UTF_8))) {
            play(r, speed, screen, RecordingPlayer::sleep);
        }
    }

    /** Plays an asciicast v2 text; {@code pause} waits for the given milliseconds (tests pass a fake clock). */
    static void play(String asciicast, double speed, Screen screen, Pause pause) throws IOException,
            InterruptedException {
        play(new BufferedReader(new StringReader(asciicast)), speed, screen, pause);
    }

    private static void play(BufferedReader r, double speed, Screen screen, Pause pause) throws IOException,
            InterruptedException {
        if (!validSpeed(speed)) {
            throw new IllegalArgumentException("--speed must be above 0 and at most " + (int) MAX_SPEED);
        }
        r.readLine();
        double last = 0;
        for (String line = r.readLine(); line != null && screen.open(); line = r.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode ev = JSON.readTree(line);
            double t = ev.get(0).asDouble();
            double wait = Math.min(t - last, MAX_PAUSE) / speed;
            if (wait > 0.001) {
                pause.sleep(Math.round(wait * 1000));
            }
            last = t;
            if ("o".equals(ev.get(1).asText())) {
                screen.output(ev.get(2).asText());
            }
        }
    }

    /** Waits; a seam for tests. */
    interface Pause {
        void sleep(long millis) throws InterruptedException;
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** A screen that only prints. */
    public static Screen printing(Consumer<String> out) {
        return out::accept;
    }
}
