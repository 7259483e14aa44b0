package dev.portier.gateway.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One line of the audit log as the feed sees it.
 *
 * @param id   the line's own {@code hash} (unique: it chains over every earlier line); for a line without one, such
 *             as a checkpoint written by another component, the SHA-256 of the line's bytes
 * @param type the event type, or {@code unknown}
 * @param raw  the line's exact bytes, without its newline
 */
record AuditRecord(String id, String type, ObjectNode node, byte[] raw) {
    static final String UNKNOWN_TYPE = "unknown";
    private static final JsonMapper MAPPER = new JsonMapper();
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** The record of one line, or null when the line is not a JSON object (a torn write). */
    static AuditRecord parse(byte[] line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (IOException e) {
            return null;
        }
        if (!(node instanceof ObjectNode object)) {
            return null;
        }
        String hash = object.path("hash").asText("");
        String id = HEX64.matcher(hash).matches() ? hash : sha256(line);
        String type = object.path("type").isTextual() ? object.get("type").asText() : UNKNOWN_TYPE;
        return new AuditRecord(id, type, object, line);
    }

    String text(String field) {
        JsonNode n = node.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    String rawText() {
        return new String(raw, StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
