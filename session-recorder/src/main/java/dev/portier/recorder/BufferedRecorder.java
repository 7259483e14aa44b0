package dev.portier.recorder;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recording as the gateway sees it. Calls from I/O threads go to the {@link RecordingBuffer}; the
 * store's {@link Flusher} moves the buffer to the {@link RecordingWriter}, chaining and signing it there (hashing
 * and signing never run on an I/O thread). The first failure is final:
 * the owner is told once through {@code onAsyncFailure}, and every later call throws.
 */
final class BufferedRecorder implements SessionRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedRecorder.class);
    /** How long close() may hold up an I/O thread behind a disk that does not answer. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    /** A buffer operation; each returns the bytes buffered after it. */
    @FunctionalInterface
    private interface Append {
        int run() throws RecorderException;
    }

    /** How the channel ended, kept for the metadata written when the files are finished. */
    private record End(Integer exitStatus, String reason, Instant time) {
    }

    private final String id;
    private final MetaFile opened;
    private final Path metaFile;
    private final RecordingStore store;
    private final RecordingBuffer buffer;
    private final RecordingWriter writer;
    private final int flushThreshold;
    private final long checkpointNanos;
    private final Consumer<RecorderException> onAsyncFailure;
    /** Serialises drain-and-write, so that lines reach the file in the order they were buffered. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Keeps the files from being closed under a running sync; taken after writeLock, never before. */
    private final ReentrantLock syncLock = new ReentrantLock();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile End end;

    BufferedRecorder(MetaFile opened, Path metaFile, RecordingStore store, RecordingBuffer buffer,
            RecordingWriter writer, RecorderSettings settings, Consumer<RecorderException> onAsyncFailure) {
        this.id = opened.id();
        this.opened = opened;
        this.metaFile = metaFile;
        this.store = store;
        this.buffer = buffer;
        this.writer = writer;
        this.flushThreshold = settings.flushThresholdBytes();
        this.checkpointNanos = settings.checkpointInterval().toNanos();
        this.onAsyncFailure = onAsyncFailure;
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

    /** Moves the buffer to the files, or finishes a close the disk held up; on the writer thread only. */
    void write() {
        if (closed.get()) {
            writeLock.lock();
            syncLock.lock();
            try {
                finishFiles();
            } finally {
                syncLock.unlock();
                writeLock.unlock();
            }
            return;
        }
        if (failure.get() != null) {
            return;
        }
        Exception error = null;
        writeLock.lock();
        try {
            if (!writer.isClosed()) {
                writeBuffered();
                writer.checkpointIfDue(buffer.now(), checkpointNanos);
            }
        } catch (IOException | RuntimeException e) {
            error = e;
        } finally {
            writeLock.unlock();
        }
        // Outside the lock: the handler may well close this recorder.
        if (error != null) {
            fail(describe(error), error, true);
        } else {
            resumeAll(buffer.takeWaiting(false));
        }
    }

    /** Forces written data to disk; on the sync thread only, concurrently with writes. */
    void sync() {
        if (failure.get() != null) {
            return;
        }
        Exception error = null;
        syncLock.lock();
        try {
            if (!writer.isClosed()) {
                writer.sync();
            }
        } catch (IOException | RuntimeException e) {
            error = e;
        } finally {
            syncLock.unlock();
        }
        if (error != null) {
            fail(describe(error), error, true);
        }
    }

    /**
     * Writes and syncs what is left, then the final metadata, so the recording is complete on return. If
     * the disk does not let it within {@value #CLOSE_WAIT_MILLIS} ms, the recording is marked failed and
     * the writer thread finishes the files when the disk answers again: an I/O thread must not hang.
     */
    @Override
    public void close(Integer exitStatus, String endReason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        end = new End(exitStatus, endReason, Instant.now());
        buffer.finish();
        if (!lockForClose()) {
            fail("the disk did not take the end of recording " + id + " within " + CLOSE_WAIT_MILLIS + " ms", null,
                    true);
            store.wakeFlusher();
            return;
        }
        try {
            finishFiles();
        } finally {
            syncLock.unlock();
            writeLock.unlock();
        }
    }

    private boolean lockForClose() {
        try {
            if (writeLock.tryLock(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                if (syncLock.tryLock(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                writeLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The last write, sync and metadata of a closed recording; with both locks held. Runs once. */
    private void finishFiles() {
        if (writer.isClosed()) {
            return;
        }
        Exception error = null;
        try {
            if (failure.get() == null) {
                writeBuffered();
                writer.finalCheckpoint(buffer.now());
                writer.sync();
            }
        } catch (IOException | RuntimeException e) {
            error = e;
        }
        try {
            writer.close();
        } catch (IOException e) {
            error = error != null ? error : e;
        }
        if (error != null) {
            fail(describe(error), error, true);
        }
        String status = failure.get() == null ? MetaFile.CLOSED : MetaFile.FAILED;
        End last = end;
        try {
            store.writeMeta(new MetaFile(id, opened.meta(), opened.start(), last.time(), status, last.exitStatus(),
                    last.reason(), buffer.bytesIn(), buffer.bytesOut()), metaFile);
        } catch (IOException e) {
            LOG.error("recording {} of session {}: cannot write its final metadata {}: {}", id,
                    opened.meta().sessionId(), metaFile, e.toString());
        }
        store.forget(this);
        resumeAll(buffer.takeWaiting(true));
    }

    private void writeBuffered() throws IOException {
        RecordingBuffer.Drained drained = buffer.drain();
        // Taken after the drain: no event in the drained bytes is later than this.
        long t = buffer.now();
        try {
            writer.write(drained, t);
        } finally {
            buffer.recycle(drained);
        }
    }

    private void fail(String reason, Throwable cause, boolean report) {
        if (!failure.compareAndSet(null, reason)) {
            return;
        }
        if (cause == null || cause instanceof RecorderException) {
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

    String id() {
        return id;
    }

    @Override
    public String toString() {
        return "BufferedRecorder[" + id + "]";
    }
}
