package dev.portier.recorder.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.recorder.RecordingStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Streams a recording's events to a handler as they come out of {@link RecordingStore#export}, without
 * holding the recording in memory: the export writes into a line splitter that parses each asciicast line
 * as soon as it is complete. This is deliberately the only code of the index and the replay that reads a
 * recording, so that a change in how recordings are stored needs no change here.
 */
public final class RecordingEvents {
    /** Longest asciicast line accepted; the recorder's own events stay far below (its buffer is 8 MiB). */
    static final int MAX_LINE_BYTES = 64 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a reader is told, in file order; on the reading thread. */
    public interface Handler {
        /** The plain asciicast v2 header (standard keys only). */
        default void header(JsonNode header) {
        }

        /**
         * One event.
         *
         * @param time seconds since the start
         * @param type {@code o} (output), {@code i} (input), {@code r} (resize) or another asciicast type
         * @return false to stop reading (the rest of the recording is skipped)
         */
        boolean event(double time, String type, String data);
    }

    /** Thrown inside the export to stop it early; never leaves this class. */
    private static final class Stop extends IOException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super("stopped by the reader");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // control flow, not an error: no stack trace to fill
        }
    }

    private RecordingEvents() {
    }

    /**
     * Reads recording {@code id} of {@code store}, calling {@code handler} for the header and each event.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such recording
     * @throws IOException if it cannot be read or a line is not asciicast v2
     */
    public static void read(RecordingStore store, String id, Handler handler) throws IOException {
        LineSplitter lines = new LineSplitter(handler);
        try {
            store.export(id, lines);
            lines.finish();
        } catch (IOException e) {
            // A store may wrap what its output stream threw: the splitter knows whether it stopped the export.
            if (!lines.stopped) {
                throw e;
            }
        }
    }

    /** Cuts the export into lines and parses each one; the first is the header. */
    private static final class LineSplitter extends OutputStream {
        private final Handler handler;
        private byte[] line = new byte[8192];
        private int length;
        private boolean headerSeen;
        private boolean stopped;

        LineSplitter(Handler handler) {
            this.handler = handler;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (stopped) {
                throw new Stop();
            }
            int end = off + len;
            int from = off;
            for (int i = off; i < end; i++) {
                if (b[i] == '\n') {
                    append(b, from, i - from);
                    dispatch();
                    from = i + 1;
                }
            }
            append(b, from, end - from);
        }

        private void append(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            if (length + len > MAX_LINE_BYTES) {
                throw new IOException("a line of the recording is longer than " + (MAX_LINE_BYTES >> 20) + " MiB");
            }
            if (length + len > line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, length + len)));
            }
            System.arraycopy(b, off, line, length, len);
            length += len;
        }

        /** The export only writes complete lines; anything left over is a cut line and is ignored. */
        void finish() throws IOException {
            if (!headerSeen) {
                throw new IOException("the recording has no asciicast header");
            }
        }

        private void dispatch() throws IOException {
            int len = length;
            length = 0;
            if (len == 0) {
                return;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line, 0, len);
            } catch (JacksonException e) {
                throw new IOException("a line of the recording is not JSON: " + e.getOriginalMessage(), e);
            }
            if (!headerSeen) {
                if (node == null || !node.isObject() || node.path("version").asInt() != 2) {
                    throw new IOException("the recording does not start with an asciicast v2 header");
                }
                headerSeen = true;
                handler.header(node);
                return;
            }
            if (node == null || !node.isArray() || node.size() < 3 || !node.get(0).isNumber()) {
                throw new IOException("a line of the recording is not an asciicast event");
            }
            if (!handler.event(node.get(0).asDouble(), node.get(1).asText(), node.get(2).asText())) {
                stopped = true;
                throw new Stop();
            }
        }
    }
}
