package dev.portier.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code <id>.meta.json}: a recording's summary, rewritten whole at open and at close, so that listing
 * never parses a recording, and a recording whose status is still {@code recording} after a restart is
 * known to have been cut short. It stays in the clear, so it holds no session content: who, where, when and how
 * much, but not the exec command line (that is in the cast, encrypted).
 *
 * @param status {@code recording}, {@code closed} or {@code failed}
 */
record MetaFile(
        String id,
        RecordingMetadata meta,
        Instant start,
        Instant end,
        String status,
        Integer exitStatus,
        String endReason,
        long bytesIn,
        long bytesOut) {

    static final String RECORDING = "recording";
    static final String CLOSED = "closed";
    static final String FAILED = "failed";

    void write(ObjectMapper json, Path file) throws IOException {
        ObjectNode node = json.createObjectNode();
        node.put("id", id);
        node.put("sessionId", meta.sessionId());
        node.put("user", meta.user());
        node.put("target", meta.target());
        node.put("account", meta.account());
        node.put("channel", meta.channel());
        node.put("start", start.toString());
        node.put("end", end == null ? null : end.toString());
        node.put("status", status);
        node.put("exitStatus", exitStatus);
        node.put("endReason", endReason);
        node.put("recordInput", meta.recordInput());
        if (meta.grant() != null) {
            node.put("grant", meta.grant());
        }
        node.put("bytesIn", bytesIn);
        node.put("bytesOut", bytesOut);
        RecordingFiles.replaceAtomically(file, json.writeValueAsBytes(node));
    }

    static RecordingInfo readInfo(ObjectMapper json, Path file) throws IOException {
        JsonNode node = json.readTree(Files.readAllBytes(file));
        if (node == null || !node.hasNonNull("id") || !node.hasNonNull("start") || !node.hasNonNull("status")) {
            throw new IOException(file + " lacks id, start or status");
        }
        try {
            return new RecordingInfo(node.get("id").asText(), text(node, "sessionId"), text(node, "user"),
                    text(node, "target"), text(node, "account"), Instant.parse(node.get("start").asText()),
                    node.hasNonNull("end") ? Instant.parse(node.get("end").asText()) : null,
                    node.get("status").asText());
        } catch (DateTimeParseException e) {
            throw new IOException(file + " has a malformed time", e);
        }
    }

    private static String text(JsonNode node, String key) {
        return node.hasNonNull(key) ? node.get(key).asText() : null;
    }
}
