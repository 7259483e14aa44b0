package dev.portier.recorder.crypt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The clear first line of an encrypted file: a JSON object whose {@code portier} member says what follows and how
 * it is encrypted. A plain recording's first line is an asciicast header ({@code "version": 2}, no
 * {@code portier.format}), which is how the two formats are told apart.
 *
 * <pre>{"portier":{"format":"encrypted-asciicast","version":1,"id":"...","cipher":"AES-256-GCM","key":"...",...}}</pre>
 */
public final class SealedFormat {
    /** {@code <id>.cast}: the header line, then frames 1, 2, ... of asciicast bytes. */
    public static final String CAST = "encrypted-asciicast";
    /** {@code <id>.events.jsonl}: the header line, then frames 1, 2, ... of event lines; its key is the cast's. */
    public static final String EVENTS = "encrypted-events";
    public static final int VERSION = 1;
    public static final String CIPHER = "AES-256-GCM";
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]{0,127}");

    /**
     * The clear line of an encrypted file.
     *
     * @param wrappedKey the data key as {@link RecordingKeys#wrap} made it; null in an events file
     */
    public record Header(String format, String id, String wrappedKey) {
    }

    private SealedFormat() {
    }

    /**
     * The clear header of a new encrypted file; the caller may add clear fields (never session content) to its
     * {@code portier} object before writing it as one line.
     */
    public static ObjectNode header(ObjectMapper json, String format, String id, String wrappedKey) {
        ObjectNode root = json.createObjectNode();
        ObjectNode portier = root.putObject("portier");
        portier.put("format", format);
        portier.put("version", VERSION);
        portier.put("id", id);
        portier.put("cipher", CIPHER);
        if (wrappedKey != null) {
            portier.put("key", wrappedKey);
        }
        return root;
    }

    /**
     * @return the header if {@code line} begins an encrypted file; empty for anything else (a plain recording)
     * @throws RecordingCryptoException if it claims to be encrypted but is not a header this version can read
     */
    public static Optional<Header> parse(ObjectMapper json, byte[] line, String expectedFormat)
            throws RecordingCryptoException {
        JsonNode root;
        try {
            root = json.readTree(line);
        } catch (IOException e) {
            return Optional.empty();
        }
        JsonNode p = root == null ? null : root.path("portier");
        if (p == null || !p.path("format").isTextual() || !p.path("format").asText().startsWith("encrypted-")) {
            return Optional.empty();
        }
        String format = p.get("format").asText();
        String id = p.path("id").asText("");
        if (!format.equals(expectedFormat)) {
            throw new RecordingCryptoException("the file of recording " + id + " holds " + format + " where "
                    + expectedFormat + " was expected");
        }
        if (p.path("version").asInt(-1) != VERSION || !CIPHER.equals(p.path("cipher").asText())) {
            throw new RecordingCryptoException("recording " + id + " is encrypted in a format this Portier does not"
                    + " know (version " + p.path("version") + ", " + p.path("cipher") + "); upgrade Portier");
        }
        if (!ID.matcher(id).matches()) {
            throw new RecordingCryptoException("an encrypted recording file has no valid recording id");
        }
        String key = p.path("key").isTextual() ? p.get("key").asText() : null;
        if (CAST.equals(format) && key == null) {
            throw new RecordingCryptoException("encrypted recording " + id + " has no wrapped key: the file was"
                    + " altered; restore it from a copy");
        }
        return Optional.of(new Header(format, id, key));
    }
}
