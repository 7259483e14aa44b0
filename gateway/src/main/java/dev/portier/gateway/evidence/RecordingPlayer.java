package dev.portier.gateway.evidence;

import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.events.RecordingEvents;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Plays a recording's output ({@code o} events) with its timing, for the CLI's and the SSH front's
 * {@code replay}. Pauses are the recording's own, divided by the speed; with {@code skipIdle} each pause is
 * first capped at {@value #IDLE_CAP} s of recording time. With a start offset, the output before it is shown
 * at once (so the screen is in the state it had then) and playback goes on in real time from there. The
 * recording streams through {@link RecordingEvents} and is never held in memory whole. Blocking: call it on a
 * worker thread; it stops within {@value #SLICE_MILLIS} ms once the viewer leaves.
 */
public final class RecordingPlayer {
    public static final double MAX_SPEED = 1000;
    /** The longest pause, in seconds of recording time, that {@code --skip-idle} leaves. */
    public static final double IDLE_CAP = 1.0;
    static final long SLICE_MILLIS = 250;

    /** Where the replayed output goes. */
    public interface Screen {
        void output(String text);

        /** False once the viewer went away; the replay stops then. */
        default boolean open() {
            return true;
        }
    }

    /**
     * How to play.
     *
     * @param speed      playback factor, 0 < speed <= {@value #MAX_SPEED}
     * @param skipIdle   cap every pause at {@value #IDLE_CAP} s (before the speed applies)
     * @param fromMillis where real-time playback starts; what comes before is shown at once
     */
    public record Options(double speed, boolean skipIdle, long fromMillis) {
        public static final Options DEFAULT = new Options(1, false, 0);

        /**
         * The options as typed ({@code --speed}, {@code --skip-idle}, {@code --from}), the same over SSH and on the
         * command line.
         *
         * @param speed null for 1
         * @param from  null for the start, else {@code [hh:]mm:ss}
         * @throws IllegalArgumentException naming the option that is wrong
         */
        public static Options parse(String speed, boolean skipIdle, String from) {
            double factor;
            try {
                factor = speed == null ? 1 : Double.parseDouble(speed);
            } catch (NumberFormatException e) {
                factor = Double.NaN;
            }
            long fromMillis;
            try {
                fromMillis = from == null ? 0 : Offsets.parse(from);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--from: " + e.getMessage());
            }
            return new Options(factor, skipIdle, fromMillis);
        }

        public Options {
            if (!validSpeed(speed)) {
                throw new IllegalArgumentException("--speed must be a number above 0 and at most " + (int) MAX_SPEED);
            }
            if (fromMillis < 0) {
                throw new IllegalArgumentException("--from must not be negative");
            }
        }
    }

    /**
     * How a replay ended.
     *
     * @param endMillis   the time of the recording's last event
     * @param reachedFrom false when the recording ended before the start offset (it was all shown at once)
     */
    public record Played(long endMillis, boolean reachedFrom) {
    }

    /** Waits, unless the viewer leaves; a seam for tests. */
    interface Pause {
        void sleep(long millis, Screen screen) throws InterruptedException;
    }

    private RecordingPlayer() {
    }

    /** @return whether {@code speed} is a valid playback factor (0 < speed <= {@value #MAX_SPEED}) */
    public static boolean validSpeed(double speed) {
        return speed > 0 && speed <= MAX_SPEED;
    }

    /** Plays recording {@code id} of {@code store} on {@code screen}; the recording must exist. */
    public static Played play(RecordingStore store, String id, Options options, Screen screen)
            throws IOException, InterruptedException {
        Playback playback = new Playback(options, screen, RecordingPlayer::sleepWhileOpen);
        RecordingEvents.read(store, id, playback);
        return playback.finish();
    }

    /** Sleeps in slices, so that a viewer who left does not hold a thread for the rest of a long pause. */
    private static void sleepWhileOpen(long millis, Screen screen) throws InterruptedException {
        for (long left = millis; left > 0 && screen.open(); left -= SLICE_MILLIS) {
            Thread.sleep(Math.min(left, SLICE_MILLIS));
        }
    }

    /** A screen that only prints. */
    public static Screen printing(Consumer<String> out) {
        return out::accept;
    }

    /** One replay: receives the events in order and paces them. */
    static final class Playback implements RecordingEvents.Handler {
        private final Options options;
        private final Screen screen;
        private final Pause pause;
        private final double from;
        private double last;
        private boolean reached;
        private InterruptedException interrupted;

        Playback(Options options, Screen screen, Pause pause) {
            this.options = options;
            this.screen = screen;
            this.pause = pause;
            this.from = options.fromMillis() / 1000.0;
            this.reached = options.fromMillis() == 0;
        }

        @Override
        public boolean event(double time, String type, String data) {
            if (!screen.open()) {
                return false;
            }
            if (!reached) {
                if (time < from) {
                    show(type, data);
                    last = time;
                    return true;
                }
                reached = true;
                last = from;
            }
            double gap = Math.max(0, time - last);
            if (options.skipIdle()) {
                gap = Math.min(gap, IDLE_CAP);
            }
            long millis = Math.round(gap / options.speed() * 1000);
            if (millis > 0) {
                try {
                    pause.sleep(millis, screen);
                } catch (InterruptedException e) {
                    interrupted = e;
                    return false;
                }
                if (!screen.open()) {
                    return false;
                }
            }
            last = time;
            show(type, data);
            return true;
        }

        private void show(String type, String data) {
            if ("o".equals(type)) {
                screen.output(data);
            }
        }

        Played finish() throws InterruptedException {
            if (interrupted != null) {
                throw interrupted;
            }
            return new Played(Math.round(last * 1000), reached);
        }
    }
}
