package dev.portier.recorder.asciicast;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * Turns a recording's content (asciicast v2 with Portier's header extension, as {@code RecordingReader} gives it)
 * into a plain asciicast v2 file: the standard header keys, then every complete event line as stored. A recording
 * still being written, or cut short by a crash, can end in a partial line; that line is left out so the result
 * always parses.
 */
public final class AsciicastExport {
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private AsciicastExport() {
    }

    /**
     * @param recording the recording's content; closed with the returned stream
     * @param name      how to name the recording in an error
     * @throws IOException if it does not start with an asciicast v2 header
     */
    public static InputStream plain(ObjectMapper json, InputStream recording, String name) throws IOException {
        try {
            byte[] headerLine = readHeaderLine(recording, name);
            JsonNode header;
            try {
                header = json.readTree(headerLine);
            } catch (JacksonException e) {
                throw new IOException(name + " does not start with an asciicast header", e);
            }
            if (!(header instanceof ObjectNode object) || header.path("version").asInt() != 2) {
                throw new IOException(name + " is not an asciicast v2 recording");
            }
            ByteArrayOutputStream plainHeader = new ByteArrayOutputStream();
            plainHeader.write(json.writeValueAsBytes(AsciicastHeader.plain(json, object)));
            plainHeader.write('\n');
            return new SequenceInputStream(new ByteArrayInputStream(plainHeader.toByteArray()),
                    new CompleteLinesInputStream(recording));
        } catch (IOException | RuntimeException e) {
            recording.close();
            throw e;
        }
    }

    private static byte[] readHeaderLine(InputStream in, String name) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() >= MAX_HEADER_BYTES) {
                throw new IOException(name + " has no complete asciicast header line");
            }
            line.write(b);
        }
        return line.toByteArray();
    }
}
