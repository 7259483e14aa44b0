package dev.portier.recorder;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recording as the gateway sees it. Calls from I/O threads go to the {@link RecordingBuffer}; the
 * store's {@link Flusher} moves the buffer to the {@link RecordingWriter}. The first failure is final:
 * the owner is told once through {@code onAsyncFailure}, and every later call throws.
 */
final class BufferedRecorder implements SessionRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedRecorder.class);

    /** A buffer operation; each returns the bytes buffered after it. */
    @FunctionalInterface
    private interface Append {
        int run() throws RecorderException;
    }

    private final String id;
    private final MetaFile opened;
    private final Path metaFile;
    private final RecordingStore store;
    private final RecordingBuffer buffer;
    private final RecordingWriter writer;
    private final int flushThreshold;
    private final Consumer<RecorderException> onAsyncFailure;
    /** Serialises drain-and-write, so that lines reach the file in the order they were buffered. */
    private final Object writeLock = new Object();
    /** Keeps close from closing the files under a running sync; taken after writeLock, never before. */
    private final Object syncLock = new Object();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    BufferedRecorder(MetaFile opened, Path metaFile, RecordingStore store, RecordingBuffer buffer,
            RecordingWriter writer, int flushThreshold, Consumer<RecorderException> onAsyncFailure) {
        this.id = opened.id();
        this.opened = opened;
        this.metaFile = metaFile;
        this.store = store;
        this.buffer = buffer;
        this.writer = writer;
        this.flushThreshold = flushThreshold;
        this.onAsyncFailure = onAsyncFailure;
    }

    String id() {
        return id;
    }

    @Override
    public void output(byte[] data, int offset, int length) throws RecorderException {
        append(() -> buffer.output(data, offset, length));
    }

    @Override
    public void input(byte[] data, int offset, int length) throws RecorderException {
        append(() -> buffer.input(data, offset, length));
    }

    @Override
    public void resize(int columns, int rows) throws RecorderException {
        append(() -> buffer.resize(columns, rows));
    }

    @Override
    public void event(String kind, Map<String, Object> fields) throws RecorderException {
        append(() -> buffer.event(kind, fields));
    }

    @Override
    public void whenWritable(Runnable resume) {
        if (failure.get() == null && !closed.get() && buffer.deferIfBacklogged(resume)) {
            store.wakeFlusher();
            if (failure.get() != null || closed.get()) {
                resumeAll(buffer.takeWaiting(true)); // ended meanwhile: do not leave the bridge waiting
            }
            return;
        }
        resume.run();
    }

    private void append(Append append) throws RecorderException {
        String failed = failure.get();
        if (failed != null) {
            throw new RecorderException("recording failed: " + failed);
        }
        if (closed.get()) {
            throw new RecorderException("recording " + id + " is already closed");
        }
        int buffered;
        try {
            buffered = append.run();
        } catch (RecorderException e) {
            if (closed.get()) {
                throw new RecorderException("recording " + id + " is already closed");
            }
            // Reported to the caller by the exception itself, so not through onAsyncFailure.
            fail(e.getMessage(), e, false);
            throw new RecorderException("recording failed: " + e.getMessage(), e);
        }
        if (buffered >= flushThreshold) {
            store.wakeFlusher();
        }
    }

    /** Moves the buffer to the files; called by the flusher's writer thread only. */
    void write() {
        if (failure.get() != null) {
            return;
        }
        Exception error = null;
        synchronized (writeLock) {
            if (writer.isClosed()) {
                return;
            }
            try {
                writeBuffered();
            } catch (IOException | RuntimeException e) {
                error = e;
            }
        }
        // Outside the lock: the handler may well close this recorder.
        if (error != null) {
            fail(describe(error), error, true);
        } else {
            resumeAll(buffer.takeWaiting(false));
        }
    }

    /** Forces written data to disk; called by the flusher's sync thread only, concurrently with writes. */
    void sync() {
        if (failure.get() != null) {
            return;
        }
        Exception error = null;
        synchronized (syncLock) {
            if (writer.isClosed()) {
                return;
            }
            try {
                writer.sync();
            } catch (IOException | RuntimeException e) {
                error = e;
            }
        }
        if (error != null) {
            fail(describe(error), error, true);
        }
    }

    /**
     * Writes and syncs what is left, then the final metadata. Runs on the caller's thread and may wait for
     * the disk, once, at the end of a channel.
     */
    @Override
    public void close(Integer exitStatus, String endReason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        store.forget(this);
        buffer.finish();
        Exception error = null;
        synchronized (writeLock) {
            synchronized (syncLock) {
                try {
                    if (failure.get() == null) {
                        writeBuffered();
                        writer.sync();
                    }
                    writer.close();
                } catch (IOException | RuntimeException e) {
                    error = e;
                }
            }
        }
        if (error != null) {
            fail(describe(error), error, true);
        }
        String status = failure.get() == null ? MetaFile.CLOSED : MetaFile.FAILED;
        MetaFile last = new MetaFile(id, opened.meta(), opened.start(), Instant.now(), status, exitStatus,
                endReason, buffer.bytesIn(), buffer.bytesOut());
        try {
            store.writeMeta(last, metaFile);
        } catch (IOException e) {
            LOG.error("recording {} of session {}: cannot write its final metadata {}: {}", id,
                    opened.meta().sessionId(), metaFile, e.toString());
        }
        resumeAll(buffer.takeWaiting(true));
    }

    private void writeBuffered() throws IOException {
        RecordingBuffer.Drained drained = buffer.drain();
        try {
            writer.write(drained);
        } finally {
            buffer.recycle(drained);
        }
    }

    private void fail(String reason, Throwable cause, boolean report) {
        if (!failure.compareAndSet(null, reason)) {
            return;
        }
        if (cause instanceof RecorderException) {
            LOG.error("recording {} of session {} failed: {}", id, opened.meta().sessionId(), reason);
        } else {
            LOG.error("recording {} of session {} failed: {}", id, opened.meta().sessionId(), reason, cause);
        }
        if (report) {
            try {
                onAsyncFailure.accept(new RecorderException("recording failed: " + reason, cause));
            } catch (RuntimeException e) {
                LOG.error("recording {} of session {}: the failure handler threw", id, opened.meta().sessionId(), e);
            }
        }
        resumeAll(buffer.takeWaiting(true));
    }

    private void resumeAll(List<Runnable> resume) {
        for (Runnable r : resume) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("recording {} of session {}: a back-pressure callback threw", id, opened.meta().sessionId(), e);
            }
        }
    }

    private String describe(Exception e) {
        if (e instanceof ClosedChannelException) {
            return "the file of recording " + id + " was closed underneath it";
        }
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return "cannot write recording " + id + ": " + message;
    }

    @Override
    public String toString() {
        return "BufferedRecorder[" + id + "]";
    }
}
