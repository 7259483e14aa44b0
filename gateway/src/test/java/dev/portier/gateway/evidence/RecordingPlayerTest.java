package dev.portier.gateway.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replay timing with a fake clock: the pauses asked for are recorded, nothing sleeps. */
class RecordingPlayerTest {
    /** Events as the recording holds them: time, type, data. */
    private static final Object[][] CAST = {
        {0.5, "o", "a"},
        {0.6, "i", "typed"},
        {10.6, "o", "b"},
        {10.8, "r", "100x30"},
        {13.8, "o", "c"},
    };

    /** What a replay showed and waited for, in order: text, or "wait N" in milliseconds. */
    private static class Log implements RecordingPlayer.Screen, RecordingPlayer.Pause {
        final List<String> seen = new ArrayList<>();
        final StringBuilder screen = new StringBuilder();

        @Override
        public void output(String text) {
            seen.add(text);
            screen.append(text);
        }

        @Override
        public void sleep(long millis, RecordingPlayer.Screen s) {
            seen.add("wait " + millis);
        }
    }

    private static RecordingPlayer.Played play(RecordingPlayer.Options options, Log log) throws Exception {
        RecordingPlayer.Playback p = new RecordingPlayer.Playback(options, log, log);
        for (Object[] e : CAST) {
            if (!p.event((Double) e[0], (String) e[1], (String) e[2])) {
                break;
            }
        }
        return p.finish();
    }

    @Test
    void outputIsPlayedWithItsOwnTiming() throws Exception {
        Log log = new Log();
        play(RecordingPlayer.Options.DEFAULT, log);
        assertEquals(List.of("wait 500", "a", "wait 100", "wait 10000", "b", "wait 200", "wait 3000", "c"), log.seen);
    }

    @Test
    void speedDividesThePauses() throws Exception {
        Log log = new Log();
        play(new RecordingPlayer.Options(4, false, 0), log);
        assertEquals(List.of("wait 125", "a", "wait 25", "wait 2500", "b", "wait 50", "wait 750", "c"), log.seen);
    }

    @Test
    void skipIdleCapsEveryPauseAtOneSecondBeforeTheSpeed() throws Exception {
        Log log = new Log();
        play(new RecordingPlayer.Options(1, true, 0), log);
        assertEquals(List.of("wait 500", "a", "wait 100", "wait 1000", "b", "wait 200", "wait 1000", "c"), log.seen);
        Log fast = new Log();
        play(new RecordingPlayer.Options(2, true, 0), fast);
        assertEquals(List.of("wait 250", "a", "wait 50", "wait 500", "b", "wait 100", "wait 500", "c"), fast.seen);
    }

    @Test
    void fromShowsEarlierOutputAtOnceThenPlaysInRealTime() throws Exception {
        Log log = new Log();
        RecordingPlayer.Played played = play(new RecordingPlayer.Options(1, false, 12_000), log);
        // a and b at once (the screen as it was at 12 s), then c 1.8 s after 12 s.
        assertEquals(List.of("a", "b", "wait 1800", "c"), log.seen);
        assertTrue(played.reachedFrom());
        assertEquals(13_800, played.endMillis());
    }

    @Test
    void fromAtAnEventShowsItWithoutWaiting() throws Exception {
        Log log = new Log();
        play(new RecordingPlayer.Options(1, false, 10_600), log);
        assertEquals(List.of("a", "b", "wait 200", "wait 3000", "c"), log.seen);
    }

    @Test
    void fromPastTheEndShowsEverythingAndSaysSo() throws Exception {
        Log log = new Log();
        RecordingPlayer.Played played = play(new RecordingPlayer.Options(1, false, 60_000), log);
        assertEquals(List.of("a", "b", "c"), log.seen);
        assertFalse(played.reachedFrom());
        assertEquals(13_800, played.endMillis());
    }

    @Test
    void replayStopsWhenTheViewerLeaves() throws Exception {
        Log log = new Log() {
            @Override
            public boolean open() {
                return screen.length() == 0;
            }
        };
        play(RecordingPlayer.Options.DEFAULT, log);
        assertEquals("a", log.screen.toString());
    }

    @Test
    void anInterruptedReplayEndsWithTheInterrupt() {
        RecordingPlayer.Playback p = new RecordingPlayer.Playback(RecordingPlayer.Options.DEFAULT, text -> { },
                (millis, screen) -> {
                    throw new InterruptedException("stop");
                });
        assertFalse(p.event(1.0, "o", "x"));
        assertThrows(InterruptedException.class, p::finish);
    }

    @Test
    void speedOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RecordingPlayer.Options(0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new RecordingPlayer.Options(Double.NaN, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new RecordingPlayer.Options(1001, false, 0));
    }

    @Test
    void offsetsReadAndPrintAsMinutesAndSeconds() {
        assertEquals(750_000, Offsets.parse("12:30"));
        assertEquals(3_727_000, Offsets.parse("1:02:07"));
        assertEquals(5_400_000, Offsets.parse("90:00"));
        assertEquals("03:12", Offsets.format(192_900));
        assertEquals("1:02:07", Offsets.format(3_727_000));
        for (String bad : new String[] {"12", "12:60", "1:60:00", "-1:00", "12:3", "a:bc", ""}) {
            assertThrows(IllegalArgumentException.class, () -> Offsets.parse(bad), bad);
        }
    }
}
