package dev.portier.gateway.siem;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * RFC 5424 messages and RFC 6587 octet-counting frames. Stateless and thread-safe.
 *
 * <p>Header fields are reduced to what the grammar allows (PRINTUSASCII, bounded length, {@code -} when empty), so
 * an odd host name or event type can never break the frame. The MSG part is UTF-8 without a BOM: receivers such as
 * rsyslog would otherwise keep the BOM in front of the JSON.
 */
final class SyslogMessage {
    /** The structured-data element of each message; 32473 is the private enterprise number RFC 5612 reserves. */
    static final String SD_ID = "portier@32473";
    static final String NIL = "-";

    private SyslogMessage() {
    }

    /**
     * One message: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID k="v"...] MSG}.
     *
     * @param time   an ISO-8601 instant, or null / unparsable for the NILVALUE
     * @param params the SD-PARAMs of the {@link #SD_ID} element, in order
     */
    static String format(int pri, String time, String hostName, String appName, String procId, String msgId,
            Map<String, String> params, String msg) {
        StringBuilder b = new StringBuilder(64 + msg.length());
        b.append('<').append(pri).append(">1 ").append(timestamp(time)).append(' ')
                .append(headerField(hostName, 255)).append(' ')
                .append(headerField(appName, 48)).append(' ')
                .append(headerField(procId, 128)).append(' ')
                .append(headerField(msgId, 32)).append(' ');
        if (params.isEmpty()) {
            b.append(NIL);
        } else {
            b.append('[').append(SD_ID);
            params.forEach((k, v) -> b.append(' ').append(headerField(k, 32)).append("=\"").append(escapeParam(v)).append('"'));
            b.append(']');
        }
        return b.append(' ').append(msg).toString();
    }

    /** RFC 6587 3.4.1: {@code MSG-LEN SP SYSLOG-MSG}, the length counted in octets. */
    static byte[] frame(String message) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (msg.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + msg.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(msg, 0, out, prefix.length, msg.length);
        return out;
    }

    /** RFC 5424 6.3.3: inside PARAM-VALUE, {@code "}, {@code \} and {@code ]} are escaped with a backslash. */
    static String escapeParam(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** RFC 5424 TIMESTAMP: UTC with at most six fraction digits. */
    static String timestamp(String time) {
        if (time == null) {
            return NIL;
        }
        try {
            return Instant.parse(time).truncatedTo(ChronoUnit.MICROS).toString();
        } catch (DateTimeParseException e) {
            return NIL;
        }
    }

    /** PRINTUSASCII only, at most {@code max} characters; other characters become {@code _}. */
    static String headerField(String value, int max) {
        if (value == null || value.isEmpty()) {
            return NIL;
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && b.length() < max; i++) {
            char c = value.charAt(i);
            b.append(c >= 33 && c <= 126 ? c : '_');
        }
        return b.toString();
    }
}
