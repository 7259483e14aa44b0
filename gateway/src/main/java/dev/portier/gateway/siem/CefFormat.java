package dev.portier.gateway.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An audit event as ArcSight CEF: {@code CEF:0|Portier|Portier|version|type|type|severity|extensions}. Standard
 * fields go to CEF keys ({@code rt suser dhost act reason externalId}), session and request ids to custom strings,
 * and every other field, as compact JSON, to {@code cs3} ("details"). Stateless and thread-safe.
 */
final class CefFormat {
    static final String VENDOR = "Portier";
    static final String PRODUCT = "Portier";
    private static final Set<String> MAPPED = Set.of("time", "type", "actor", "target", "sessionId", "requestId",
            "decision", "reason", "prevHash", "hash");

    private CefFormat() {
    }

    static String render(AuditRecord r, ObjectNode event, String productVersion, EventSeverity severity) {
        StringBuilder b = new StringBuilder(256);
        b.append("CEF:0|").append(header(VENDOR)).append('|').append(header(PRODUCT)).append('|')
                .append(header(productVersion)).append('|').append(header(r.type())).append('|')
                .append(header(r.type())).append('|').append(severity.cef()).append('|');
        Map<String, String> ext = new LinkedHashMap<>();
        String time = text(event, "time");
        if (time != null) {
            try {
                ext.put("rt", Long.toString(Instant.parse(time).toEpochMilli()));
            } catch (DateTimeParseException e) {
                // An unparsable time is still worth seeing; the raw text goes to the details instead.
                ext.put("cs4Label", "time");
                ext.put("cs4", time);
            }
        }
        ext.put("externalId", r.id());
        putIfPresent(ext, "suser", text(event, "actor"));
        putIfPresent(ext, "dhost", text(event, "target"));
        putIfPresent(ext, "act", text(event, "decision"));
        putIfPresent(ext, "reason", text(event, "reason"));
        if (text(event, "sessionId") != null) {
            ext.put("cs1Label", "sessionId");
            ext.put("cs1", text(event, "sessionId"));
        }
        if (text(event, "requestId") != null) {
            ext.put("cs2Label", "requestId");
            ext.put("cs2", text(event, "requestId"));
        }
        ObjectNode details = event.objectNode();
        event.properties().forEach(f -> {
            if (!MAPPED.contains(f.getKey())) {
                details.set(f.getKey(), f.getValue());
            }
        });
        if (!details.isEmpty()) {
            ext.put("cs3Label", "details");
            ext.put("cs3", details.toString());
        }
        String sep = "";
        for (Map.Entry<String, String> e : ext.entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(extensionValue(e.getValue()));
            sep = " ";
        }
        return b.toString();
    }

    /** Header fields: {@code \} and {@code |} are escaped; line breaks become spaces. */
    static String header(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '|' -> b.append("\\|");
                case '\r', '\n' -> b.append(' ');
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Extension values: {@code \} and {@code =} are escaped, line breaks written as {@code \n} and {@code \r}. */
    static String extensionValue(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '=' -> b.append("\\=");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String text(ObjectNode event, String field) {
        JsonNode n = event.get(field);
        return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    }

    private static void putIfPresent(Map<String, String> ext, String key, String value) {
        if (value != null) {
            ext.put(key, value);
        }
    }
}
