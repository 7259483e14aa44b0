package dev.portier.gateway.siem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyslogMessageTest {

    @Test
    void messageFollowsTheRfc5424Grammar() {
        assertEquals("<110>1 2024-05-01T10:00:00.123456Z gw-1 portier 4242 session.start"
                        + " [portier@32473 id=\"abc\"] {\"type\":\"session.start\"}",
                SyslogMessage.format(110, "2024-05-01T10:00:00.123456789Z", "gw-1", "portier", "4242", "session.start",
                        Map.of("id", "abc"), "{\"type\":\"session.start\"}"));
    }

    @Test
    void quoteBackslashAndBracketAreEscapedInParamValues() {
        assertEquals("a\\\"b\\\\c\\]d", SyslogMessage.escapeParam("a\"b\\c]d"));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("id", "x]\"");
        String msg = SyslogMessage.format(110, null, "h", "a", "1", "t", params, "m");
        assertEquals("<110>1 - h a 1 t [portier@32473 id=\"x\\]\\\"\"] m", msg);
    }

    @Test
    void frameCountsOctetsNotCharacters() {
        byte[] frame = SyslogMessage.frame("é]");
        assertArrayEquals("3 é]".getBytes(StandardCharsets.UTF_8), frame);
    }

    @Test
    void headerFieldsKeepOnlyPrintableAsciiWithinTheirLength() {
        assertEquals("a_b", SyslogMessage.headerField("a b", 32));
        assertEquals("-", SyslogMessage.headerField("", 32));
        assertEquals(32, SyslogMessage.headerField("x".repeat(40), 32).length());
        assertEquals("__", SyslogMessage.headerField("\u00e9\n", 32));
    }

    @Test
    void unparsableTimeBecomesTheNilValue() {
        assertEquals("-", SyslogMessage.timestamp("yesterday"));
        assertEquals("2024-05-01T10:00:00Z", SyslogMessage.timestamp("2024-05-01T10:00:00Z"));
    }

    @Test
    void severityMapsBreakGlassHighAndDenialsToWarnings() {
        assertEquals(13 * 8 + 2, EventSeverity.of("breakglass.granted", "allow").pri());
        assertEquals(13 * 8 + 4, EventSeverity.of("access.denied", "deny").pri());
        assertEquals(13 * 8 + 4, EventSeverity.of("auth.failure", null).pri());
        assertEquals(13 * 8 + 6, EventSeverity.of("session.start", "allow").pri());
        assertEquals(13 * 8 + 6, EventSeverity.of("audit.checkpoint", null).pri());
    }
}
