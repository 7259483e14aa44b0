package dev.portier.recorder.asciicast;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.recorder.RecordingMetadata;
import java.time.Instant;
import java.util.List;

/**
 * The first line of a recording. Standard keys first, then Portier's own under {@code portier}, which
 * players ignore and {@link AsciicastExport} leaves out.
 */
public final class AsciicastHeader {
    /** The header keys of the asciicast v2 specification, in the order they are written. */
    public static final List<String> STANDARD_KEYS = List.of("version", "width", "height", "timestamp", "duration",
            "idle_time_limit", "command", "title", "env", "theme");

    /** Terminal size used when the channel has no PTY (exec, sftp): players need some size. */
    static final int DEFAULT_WIDTH = 80;
    static final int DEFAULT_HEIGHT = 24;

    private AsciicastHeader() {
    }

    /** The header of recording {@code id}. */
    public static ObjectNode of(ObjectMapper json, String id, RecordingMetadata meta) {
        ObjectNode header = json.createObjectNode();
        header.put("version", 2);
        header.put("width", meta.width() > 0 ? meta.width() : DEFAULT_WIDTH);
        header.put("height", meta.height() > 0 ? meta.height() : DEFAULT_HEIGHT);
        Instant start = meta.start() != null ? meta.start() : Instant.now();
        header.put("timestamp", start.getEpochSecond());
        header.put("title", title(meta));
        ObjectNode env = header.putObject("env");
        if (meta.term() != null) {
            env.put("TERM", meta.term());
        }
        ObjectNode portier = header.putObject("portier");
        portier.put("id", id);
        portier.put("sessionId", meta.sessionId());
        portier.put("user", meta.user());
        portier.put("target", meta.target());
        portier.put("account", meta.account());
        portier.put("channel", meta.channel());
        portier.put("command", meta.command());
        portier.put("recordInput", meta.recordInput());
        if (meta.grant() != null) {
            portier.put("grant", meta.grant());
        }
        return header;
    }

    /** {@code alice -> admin@rtr-bru-01 (exec: uname -a)}. */
    static String title(RecordingMetadata meta) {
        String what = meta.command() == null ? meta.channel() : meta.channel() + ": " + meta.command();
        return meta.user() + " -> " + meta.account() + "@" + meta.target() + " (" + what + ")";
    }

    /** A copy of {@code header} with the standard keys only. */
    public static ObjectNode plain(ObjectMapper json, ObjectNode header) {
        ObjectNode plain = json.createObjectNode();
        for (String key : STANDARD_KEYS) {
            if (header.has(key)) {
                plain.set(key, header.get(key));
            }
        }
        return plain;
    }
}
