package dev.portier.recorder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.recorder.asciicast.AsciicastEvents;
import dev.portier.recorder.asciicast.Utf8JsonEscaper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The in-memory side of one recording: turns calls into finished asciicast and event lines and holds
 * them until the flusher takes them. Every method is short and never touches the disk, because callers
 * are SSH I/O threads. Output arriving in quick succession is merged into one event: bulk output would
 * otherwise cost one line per SSH packet.
 */
final class RecordingBuffer {
    /** A merged event stays a line of reasonable length. */
    private static final int MAX_EVENT_BYTES = 256 * 1024;
    private static final byte[] NOTHING = new byte[0];

    /** What the flusher writes: the cast lines and the structured event lines taken in one swap. */
    record Drained(ChunkBuffer cast, ChunkBuffer events) {
    }

    private final ObjectMapper json;
    private final long startNanos;
    private final long coalesceNanos;
    private final int maxBytes;
    private final Utf8JsonEscaper outputText = new Utf8JsonEscaper();
    private final Utf8JsonEscaper inputText;

    private ChunkBuffer cast = new ChunkBuffer();
    private ChunkBuffer events = new ChunkBuffer();
    private ChunkBuffer spareCast = new ChunkBuffer();
    private ChunkBuffer spareEvents = new ChunkBuffer();
    /** Bytes taken by the flusher and not yet written: they still count against the bound. */
    private int inFlight;
    /** The {@code o} or {@code i} event still open at the end of {@code cast}, or null. */
    private String openCode;
    private long openNanos;
    private int openStart;
    private long bytesIn;
    private long bytesOut;
    private boolean finished;

    RecordingBuffer(ObjectMapper json, long startNanos, RecorderSettings settings, boolean recordInput) {
        this.json = json;
        this.startNanos = startNanos;
        this.coalesceNanos = settings.coalesceWindow().toNanos();
        this.maxBytes = settings.maxBufferedBytes();
        this.inputText = recordInput ? new Utf8JsonEscaper() : null;
    }

    /** @return the bytes now buffered, so that the caller can wake the flusher */
    synchronized int output(byte[] data, int offset, int length) throws RecorderException {
        ensureRoom();
        bytesOut += length;
        addText(AsciicastEvents.OUTPUT, outputText, data, offset, length, false);
        return buffered();
    }

    synchronized int input(byte[] data, int offset, int length) throws RecorderException {
        ensureRoom();
        bytesIn += length;
        if (inputText == null) {
            return buffered();
        }
        addText(AsciicastEvents.INPUT, inputText, data, offset, length, false);
        return buffered();
    }

    synchronized int resize(int columns, int rows) throws RecorderException {
        ensureRoom();
        closeEvent();
        cast.append(AsciicastEvents.line(now(), AsciicastEvents.RESIZE, columns + "x" + rows));
        return buffered();
    }

    synchronized int event(String kind, Map<String, Object> fields) throws RecorderException {
        ensureRoom();
        closeEvent();
        long t = now();
        Map<String, Object> plain = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder("[portier] ").append(EventText.display(kind));
        if (fields != null) {
            fields.forEach((key, value) -> {
                Object v = value == null || value instanceof Number || value instanceof Boolean ? value : value.toString();
                plain.put(String.valueOf(key), v);
                text.append(' ').append(EventText.display(key)).append('=').append(EventText.display(v));
            });
        }
        byte[] fieldsJson;
        try {
            fieldsJson = json.writeValueAsBytes(plain);
        } catch (JsonProcessingException e) {
            throw new RecorderException("cannot encode the " + kind + " event", e);
        }
        byte[] head = ("{\"t\":" + AsciicastEvents.seconds(t) + ",\"kind\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(String.valueOf(kind))) + "\",\"fields\":")
                .getBytes(StandardCharsets.UTF_8);
        events.append(head);
        events.append(fieldsJson);
        events.append(new byte[] {'}', '\n'});
        cast.append(AsciicastEvents.line(t, AsciicastEvents.OUTPUT, text.append("\r\n")));
        return buffered();
    }

    /** Takes everything recorded so far; pair with {@link #recycle}. */
    synchronized Drained drain() {
        closeEvent();
        Drained drained = new Drained(cast, events);
        cast = spareCast != null ? spareCast : new ChunkBuffer();
        events = spareEvents != null ? spareEvents : new ChunkBuffer();
        spareCast = null;
        spareEvents = null;
        inFlight = drained.cast().size() + drained.events().size();
        return drained;
    }

    /** The drained bytes are written (or lost with a failed recording): their room is free again. */
    synchronized void recycle(Drained drained) {
        drained.cast().clear();
        drained.events().clear();
        spareCast = drained.cast();
        spareEvents = drained.events();
        inFlight = 0;
    }

    /** The stream ended: characters left incomplete become U+FFFD, and nothing stays merged. */
    synchronized void finish() {
        finished = true;
        addText(AsciicastEvents.OUTPUT, outputText, NOTHING, 0, 0, true);
        if (inputText != null) {
            addText(AsciicastEvents.INPUT, inputText, NOTHING, 0, 0, true);
        }
        closeEvent();
    }

    synchronized long bytesIn() {
        return bytesIn;
    }

    synchronized long bytesOut() {
        return bytesOut;
    }

    /**
     * Appends terminal bytes as the text of an event, continuing the open event if it is of the same
     * stream and started less than the coalesce window ago. The event line is written in place: its
     * prefix now, its text as it comes, its end in {@link #closeEvent}.
     */
    private void addText(String code, Utf8JsonEscaper escaper, byte[] data, int offset, int length,
            boolean endOfInput) {
        long t = now();
        if (code.equals(openCode) && t - openNanos <= coalesceNanos && cast.size() - openStart < MAX_EVENT_BYTES) {
            cast.appendEscaped(escaper, data, offset, length, endOfInput);
            return;
        }
        closeEvent();
        int start = cast.size();
        cast.append(AsciicastEvents.prefix(t, code));
        if (cast.appendEscaped(escaper, data, offset, length, endOfInput) == 0) {
            cast.truncate(start); // only part of a character so far: no event yet
            return;
        }
        openCode = code;
        openNanos = t;
        openStart = start;
    }

    private void closeEvent() {
        if (openCode != null) {
            cast.append(AsciicastEvents.suffix());
            openCode = null;
        }
    }

    private void ensureRoom() throws RecorderException {
        if (finished) {
            throw new RecorderException("the recording has ended");
        }
        if (buffered() > maxBytes) {
            throw new RecorderException("recording buffer full (" + maxBytes + " bytes not yet on disk): "
                    + "the disk is too slow or stuck");
        }
    }

    private int buffered() {
        return cast.size() + events.size() + inFlight;
    }

    private long now() {
        return System.nanoTime() - startNanos;
    }
}
