package dev.portier.recorder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.recorder.asciicast.AsciicastEvents;
import dev.portier.recorder.asciicast.Utf8JsonEscaper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

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

    /**
     * Fair, because an I/O thread pushing bulk output re-takes an unfair lock at once, and the flusher
     * waiting to drain the buffer would starve while the buffer runs full.
     */
    private final ReentrantLock lock = new ReentrantLock(true);
    private final ObjectMapper json;
    private final long startNanos;
    private final long coalesceNanos;
    private final int maxBytes;
    private final int backlogBytes;
    /** Bridges waiting for room ({@link SessionRecorder#whenWritable}). */
    private final List<Runnable> waiting = new ArrayList<>();
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
        this.backlogBytes = settings.backlogBytes();
        this.inputText = recordInput ? new Utf8JsonEscaper() : null;
    }

    /** @return the bytes now buffered, so that the caller can wake the flusher */
    int output(byte[] data, int offset, int length) throws RecorderException {
        lock.lock();
        try {
            ensureRoom();
            bytesOut += length;
            addText(AsciicastEvents.OUTPUT, outputText, data, offset, length, false);
            return buffered();
        } finally {
            lock.unlock();
        }
    }

    int input(byte[] data, int offset, int length) throws RecorderException {
        lock.lock();
        try {
            ensureRoom();
            bytesIn += length;
            if (inputText == null) {
                return buffered();
            }
            addText(AsciicastEvents.INPUT, inputText, data, offset, length, false);
            return buffered();
        } finally {
            lock.unlock();
        }
    }

    int resize(int columns, int rows) throws RecorderException {
        lock.lock();
        try {
            ensureRoom();
            closeEvent();
            cast.append(AsciicastEvents.line(now(), AsciicastEvents.RESIZE, columns + "x" + rows));
            return buffered();
        } finally {
            lock.unlock();
        }
    }

    int event(String kind, Map<String, Object> fields) throws RecorderException {
        lock.lock();
        try {
            ensureRoom();
            closeEvent();
            EventLines lines = EventLines.of(json, now(), kind, fields);
            events.append(lines.jsonLine());
            cast.append(lines.castLine());
            return buffered();
        } catch (JsonProcessingException e) {
            throw new RecorderException("cannot encode the " + kind + " event", e);
        } finally {
            lock.unlock();
        }
    }

    /** @return true if {@code resume} was queued to run once the writer has made room */
    boolean deferIfBacklogged(Runnable resume) {
        lock.lock();
        try {
            if (finished || buffered() < backlogBytes) {
                return false;
            }
            waiting.add(resume);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The queued bridges to resume: all of them, or those that may go on because there is room now. */
    List<Runnable> takeWaiting(boolean all) {
        lock.lock();
        try {
            if (waiting.isEmpty() || !all && buffered() >= backlogBytes) {
                return List.of();
            }
            List<Runnable> resume = List.copyOf(waiting);
            waiting.clear();
            return resume;
        } finally {
            lock.unlock();
        }
    }

    /** Takes everything recorded so far; pair with {@link #recycle}. */
    Drained drain() {
        lock.lock();
        try {
            closeEvent();
            Drained drained = new Drained(cast, events);
            cast = spareCast != null ? spareCast : new ChunkBuffer();
            events = spareEvents != null ? spareEvents : new ChunkBuffer();
            spareCast = null;
            spareEvents = null;
            inFlight = drained.cast().size() + drained.events().size();
            return drained;
        } finally {
            lock.unlock();
        }
    }

    /** The drained bytes are written (or lost with a failed recording): their room is free again. */
    void recycle(Drained drained) {
        lock.lock();
        try {
            drained.cast().clear();
            drained.events().clear();
            spareCast = drained.cast();
            spareEvents = drained.events();
            inFlight = 0;
        } finally {
            lock.unlock();
        }
    }

    /** The stream ended: characters left incomplete become U+FFFD, and nothing stays merged. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            addText(AsciicastEvents.OUTPUT, outputText, NOTHING, 0, 0, true);
            if (inputText != null) {
                addText(AsciicastEvents.INPUT, inputText, NOTHING, 0, 0, true);
            }
            closeEvent();
        } finally {
            lock.unlock();
        }
    }

    long bytesIn() {
        lock.lock();
        try {
            return bytesIn;
        } finally {
            lock.unlock();
        }
    }

    long bytesOut() {
        lock.lock();
        try {
            return bytesOut;
        } finally {
            lock.unlock();
        }
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

    /** Nanoseconds since the recording started, on the clock its event times use. */
    long now() {
        return System.nanoTime() - startNanos;
    }
}
