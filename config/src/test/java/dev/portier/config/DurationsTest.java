package dev.portier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void singleUnitsParse() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("15m"));
        assertEquals(Duration.ofHours(4), Durations.parse("4h"));
        assertEquals(Duration.ofDays(1), Durations.parse("1d"));
    }

    @Test
    void combinedUnitsAddUp() {
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4), Durations.parse("1d2h3m4s"));
    }

    @Test
    void unitsOutOfOrderAreRefused() {
        assertEquals("\"30m1h\" is not a duration: write units from days to seconds, each once (e.g. 30s, 15m, 4h, 1d, 1h30m)",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("30m1h")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("1h1h"));
    }

    @Test
    void numberWithoutUnitIsRefused() {
        assertEquals("\"30\" is not a duration (e.g. 30s, 15m, 4h, 1d, 1h30m)",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("30")).getMessage());
    }

    @Test
    void zeroAndNegativeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("0s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-5m"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
    }

    @Test
    void formatGivesWhatParseReadsBack() {
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("1d4s", Durations.format(Duration.ofDays(1).plusSeconds(4)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals(Duration.ofSeconds(93_784), Durations.parse(Durations.format(Duration.ofSeconds(93_784))));
    }
}
