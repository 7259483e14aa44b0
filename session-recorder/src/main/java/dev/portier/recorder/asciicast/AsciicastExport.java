package dev.portier.recorder.asciicast;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a recording as a plain asciicast v2 file: the standard header keys, then every complete event
 * line as stored. A recording still being written, or cut short by a crash, can end in a partial line;
 * that line is left out so the result always parses.
 */
public final class AsciicastExport {
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private AsciicastExport() {
    }

    public static void writePlain(ObjectMapper json, Path castFile, OutputStream out) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(castFile))) {
            byte[] headerLine = readHeaderLine(in, castFile);
            JsonNode header;
            try {
                header = json.readTree(headerLine);
            } catch (JacksonException e) {
                throw new IOException(castFile + " does not start with an asciicast header", e);
            }
            if (!(header instanceof ObjectNode object) || header.path("version").asInt() != 2) {
                throw new IOException(castFile + " is not an asciicast v2 recording");
            }
            out.write(json.writeValueAsBytes(AsciicastHeader.plain(json, object)));
            out.write('\n');
            copyCompleteLines(in, out);
        }
    }

    private static byte[] readHeaderLine(InputStream in, Path castFile) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() >= MAX_HEADER_BYTES) {
                throw new IOException(castFile + " has no complete asciicast header line");
            }
            line.write(b);
        }
        return line.toByteArray();
    }

    private static void copyCompleteLines(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            int lastNewline = lastIndexOf(buf, n, (byte) '\n');
            if (lastNewline < 0) {
                partial.write(buf, 0, n);
                continue;
            }
            partial.writeTo(out);
            partial.reset();
            out.write(buf, 0, lastNewline + 1);
            partial.write(buf, lastNewline + 1, n - lastNewline - 1);
        }
    }

    private static int lastIndexOf(byte[] buf, int length, byte value) {
        for (int i = length - 1; i >= 0; i--) {
            if (buf[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
