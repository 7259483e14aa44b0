package dev.portier.recorder.asciicast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AsciicastEventsTest {
    @Test
    void timesAreSecondsWithMicroseconds() {
        assertEquals("0.000000", AsciicastEvents.seconds(0));
        assertEquals("0.000100", AsciicastEvents.seconds(100_000));
        assertEquals("1.500000", AsciicastEvents.seconds(1_500_000_000L));
        assertEquals("3723.000042", AsciicastEvents.seconds(3_723_000_042_000L));
    }

    @Test
    void textIsJsonEscaped() {
        byte[] line = AsciicastEvents.line(1_000_000, "o", "a\"b\\c\u001b[0m\r\né");
        assertEquals("[0.001000, \"o\", \"a\\\"b\\\\c\\u001B[0m\\r\\né\"]\n", new String(line, StandardCharsets.UTF_8));
    }
}
