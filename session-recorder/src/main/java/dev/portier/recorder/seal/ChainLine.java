package dev.portier.recorder.seal;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One line of a {@code .chain} file: a JSON object whose last field is {@code "hash"}, the SHA-256 of the same
 * object without that field (its exact bytes: checking never re-serialises). The same rule as the audit log's
 * lines, minus the audit log's {@code prevHash + "\n"} prefix (a chain record names its predecessor inside).
 */
final class ChainLine {
    static final String ZEROS = "0".repeat(64);
    /** {@code ,"hash":"} + 64 hex + {@code "}}. */
    static final int HASH_SUFFIX_LEN = 9 + 64 + 2;
    private static final byte[] HASH_FIELD = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A line that checked out on its own: its fields and its hash. */
    record Parsed(JsonNode node, String hash) {
    }

    private ChainLine() {
    }

    /** {@code body} is a JSON object (ASCII, no {@code hash} field); returns the line with newline, and its hash. */
    static byte[] seal(String body, String[] hashOut) {
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        String hash = HEX.formatHex(sha256().digest(b));
        hashOut[0] = hash;
        byte[] suffix = (",\"hash\":\"" + hash + "\"}\n").getBytes(StandardCharsets.US_ASCII);
        byte[] line = Arrays.copyOf(b, b.length - 1 + suffix.length);
        System.arraycopy(suffix, 0, line, b.length - 1, suffix.length);
        return line;
    }

    /** @return the parsed line, or null if it is not a JSON object ending in a hash that matches its content */
    static Parsed check(byte[] line) {
        int len = line.length;
        if (len < HASH_SUFFIX_LEN + 2 || line[len - 1] != '}' || line[len - 2] != '"'
                || !Arrays.equals(line, len - HASH_SUFFIX_LEN, len - HASH_SUFFIX_LEN + HASH_FIELD.length,
                        HASH_FIELD, 0, HASH_FIELD.length)) {
            return null;
        }
        String claimed = new String(line, len - 66, 64, StandardCharsets.US_ASCII);
        if (!isHex64(claimed)) {
            return null;
        }
        byte[] body = Arrays.copyOf(line, len - HASH_SUFFIX_LEN + 1);
        body[body.length - 1] = '}';
        if (!HEX.formatHex(sha256().digest(body)).equals(claimed)) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(line);
            return node != null && node.isObject() ? new Parsed(node, claimed) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Whether an unterminated last fragment holds a whole record followed by more bytes: a torn write leaves a
     * prefix of {@code record\n}, never that, so such a fragment was changed after the fact.
     */
    static boolean hasBytesAfterARecord(byte[] fragment) {
        for (int i = fragment.length - HASH_SUFFIX_LEN - 1; i >= 0; i--) {
            if (Arrays.equals(fragment, i, i + HASH_FIELD.length, HASH_FIELD, 0, HASH_FIELD.length)
                    && isHex64(new String(fragment, i + HASH_FIELD.length, 64, StandardCharsets.US_ASCII))
                    && fragment[i + HASH_SUFFIX_LEN - 2] == '"' && fragment[i + HASH_SUFFIX_LEN - 1] == '}') {
                return true;
            }
        }
        return false;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static boolean isHex64(String s) {
        if (s == null || s.length() != 64) {
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
}
