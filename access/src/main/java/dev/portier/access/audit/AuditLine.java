package dev.portier.access.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The line format of the audit log and its hash chain.
 *
 * <p>A line is a JSON object ending in {@code ,"hash":"<64 hex>"}}. The hash covers
 * {@code prevHash + "\n" + body}, where body is the exact bytes of the line with that last field removed. Checking
 * works on those bytes, never on a re-serialisation, so number formats or key order cannot break a valid chain.
 * Stateless and thread-safe.
 */
final class AuditLine {
    static final String GENESIS = "0".repeat(64);
    static final String CHAIN_RESUMED = "audit.chain-resumed";
    /** Longer lines are refused when writing and reported as bad when reading, so a reader never runs out of memory. */
    static final int MAX_LINE_BYTES = 1 << 20;

    private static final Set<String> STANDARD_FIELDS = Set.of("time", "type", "actor", "target", "sessionId",
            "requestId", "decision", "reason", "details", "prevHash", "hash");
    private static final byte[] HASH_FIELD = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    /** {@code ,"hash":"} + 64 hex + {@code "}}. */
    private static final int HASH_SUFFIX_LEN = HASH_FIELD.length + 64 + 2;
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    /** One encoded line, newline included. */
    record Encoded(byte[] bytes, String hash) {
    }

    /**
     * What a line says about itself. {@code problem} is null when the line is a well-formed event whose hash
     * matches its content and its own {@code prevHash}; whether that prevHash continues the chain is the
     * caller's question.
     */
    record Checked(String problem, String prevHash, String hash, String type, JsonNode node) {
        static Checked bad(String problem) {
            return new Checked(problem, null, null, null, null);
        }
    }

    private AuditLine() {
    }

    static Encoded encode(AuditEvent e, Instant now, String prevHash) throws AuditException {
        ObjectNode n = NODES.objectNode();
        n.put("time", (e.time() == null ? now : e.time()).toString());
        putIfPresent(n, "type", e.type());
        putIfPresent(n, "actor", e.actor());
        putIfPresent(n, "target", e.target());
        putIfPresent(n, "sessionId", e.sessionId());
        putIfPresent(n, "requestId", e.requestId());
        putIfPresent(n, "decision", e.decision());
        putIfPresent(n, "reason", e.reason());
        ObjectNode nested = null;
        for (Map.Entry<String, Object> d : new TreeMap<>(e.details()).entrySet()) {
            if (STANDARD_FIELDS.contains(d.getKey())) {
                nested = nested == null ? NODES.objectNode() : nested;
                nested.set(d.getKey(), toJson(d.getValue()));
            } else {
                n.set(d.getKey(), toJson(d.getValue()));
            }
        }
        if (nested != null) {
            n.set("details", nested);
        }
        n.put("prevHash", prevHash);
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException ex) {
            throw new AuditException("cannot encode audit event " + e.type(), ex);
        }
        String hash = hash(prevHash, body);
        byte[] suffix = (",\"hash\":\"" + hash + "\"}\n").getBytes(StandardCharsets.US_ASCII);
        byte[] line = Arrays.copyOf(body, body.length - 1 + suffix.length);
        System.arraycopy(suffix, 0, line, body.length - 1, suffix.length);
        if (line.length > MAX_LINE_BYTES) {
            throw new AuditException("audit event " + e.type() + " is larger than " + MAX_LINE_BYTES + " bytes");
        }
        return new Encoded(line, hash);
    }

    /** Checks one line (without its newline) on its own. */
    static Checked check(byte[] line) {
        int len = line.length;
        if (len == 0) {
            return Checked.bad("empty line");
        }
        if (len < HASH_SUFFIX_LEN + 2 || line[len - 1] != '}' || line[len - 2] != '"'
                || !Arrays.equals(line, len - HASH_SUFFIX_LEN, len - HASH_SUFFIX_LEN + HASH_FIELD.length,
                        HASH_FIELD, 0, HASH_FIELD.length)) {
            return Checked.bad("no hash field at the end of the line");
        }
        String claimed = new String(line, len - 66, 64, StandardCharsets.US_ASCII);
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (IOException ex) {
            return Checked.bad("not a valid JSON object");
        }
        if (node == null || !node.isObject()) {
            return Checked.bad("not a valid JSON object");
        }
        String prev = node.path("prevHash").asText("");
        if (!isHex64(prev) || !isHex64(claimed)) {
            return Checked.bad("prevHash or hash is not 64 lowercase hex digits");
        }
        // The body is the line up to the hash field, closed again with the '}' the hash field displaced.
        byte[] body = Arrays.copyOf(line, len - HASH_SUFFIX_LEN + 1);
        body[body.length - 1] = '}';
        if (!hash(prev, body).equals(claimed)) {
            return Checked.bad("hash does not match the line's content (line modified)");
        }
        return new Checked(null, prev, claimed, node.path("type").asText(null), node);
    }

    /**
     * Whether an unterminated last line holds a whole event followed by more bytes. A torn write leaves a prefix of
     * {@code line\n}, never that, so such a line was changed after the fact.
     */
    static boolean hasBytesAfterALine(byte[] fragment) {
        for (int i = fragment.length - HASH_SUFFIX_LEN - 1; i >= 0; i--) {
            if (Arrays.equals(fragment, i, i + HASH_FIELD.length, HASH_FIELD, 0, HASH_FIELD.length)
                    && isHex64(new String(fragment, i + HASH_FIELD.length, 64, StandardCharsets.US_ASCII))
                    && fragment[i + HASH_SUFFIX_LEN - 2] == '"' && fragment[i + HASH_SUFFIX_LEN - 1] == '}') {
                return true;
            }
        }
        return false;
    }

    private static String hash(String prevHash, byte[] body) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
        d.update(prevHash.getBytes(StandardCharsets.US_ASCII));
        d.update((byte) '\n');
        d.update(body);
        return HEX.formatHex(d.digest());
    }

    private static boolean isHex64(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    /**
     * Details are plain values; anything else (Instant, Duration, Path, enums) is written as its string form so
     * that encoding never depends on Jackson modules or bean introspection.
     */
    private static JsonNode toJson(Object v) {
        if (v == null) {
            return NODES.nullNode();
        } else if (v instanceof CharSequence || v instanceof Character) {
            return NODES.textNode(v.toString());
        } else if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        } else if (v instanceof Number num) {
            return MAPPER.valueToTree(num);
        } else if (v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
            sorted.forEach((k, val) -> o.set(k, toJson(val)));
            return o;
        } else if (v instanceof Iterable<?> it) {
            ArrayNode a = NODES.arrayNode();
            it.forEach(x -> a.add(toJson(x)));
            return a;
        } else if (v instanceof Object[] arr) {
            ArrayNode a = NODES.arrayNode();
            for (Object x : arr) {
                a.add(toJson(x));
            }
            return a;
        }
        return NODES.textNode(v.toString());
    }
}
