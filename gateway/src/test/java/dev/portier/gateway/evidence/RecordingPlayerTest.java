package dev.portier.gateway.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingPlayerTest {
    private static final String CAST = """
            {"version":2,"width":80,"height":24}
            [0.5,"o","a"]
            [0.6,"i","typed"]
            [10.6,"o","b"]
            [10.8,"r","100x30"]
            """;

    @Test
    void outputIsPlayedWithItsTimingAndIdleGapsCapped() throws Exception {
        StringBuilder screen = new StringBuilder();
        List<Long> pauses = new ArrayList<>();
        RecordingPlayer.play(CAST, 1, screen::append, pauses::add);
        assertEquals("ab", screen.toString());
        assertEquals(List.of(500L, 100L, 2000L, 200L), pauses);
    }

    @Test
    void speedDividesThePauses() throws Exception {
        List<Long> pauses = new ArrayList<>();
        RecordingPlayer.play(CAST, 2, text -> { }, pauses::add);
        assertEquals(List.of(250L, 50L, 1000L, 100L), pauses);
    }

    @Test
    void replayStopsWhenTheViewerLeaves() throws Exception {
        StringBuilder screen = new StringBuilder();
        RecordingPlayer.Screen once = new RecordingPlayer.Screen() {
            @Override
            public void output(String text) {
                screen.append(text);
            }

            @Override
            public boolean open() {
                return screen.length() == 0;
            }
        };
        RecordingPlayer.play(CAST, 1, once, millis -> { });
        assertEquals("a", screen.toString());
    }

    @Test
    void speedOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RecordingPlayer.play(CAST, 0, text -> { }, m -> { }));
        assertThrows(IllegalArgumentException.class, () -> RecordingPlayer.play(CAST, Double.NaN, text -> { }, m -> { }));
    }
}
