package dev.portier.recorder;

import java.util.Map;

/**
 * Records one session channel as it happens. Called from I/O threads: every method returns quickly
 * (buffered writes; a background flusher writes to disk at least once per second).
 * Any method throws {@link RecorderException} once the recording can no longer be written: the caller
 * must end the session (fail closed).
 */
public interface SessionRecorder extends AutoCloseable {
    /** Bytes the target sent to the user (an {@code o} event). */
    void output(byte[] data, int offset, int length) throws RecorderException;

    /** Bytes the user typed (an {@code i} event); ignored unless input recording is on. */
    void input(byte[] data, int offset, int length) throws RecorderException;

    /** The terminal was resized (an {@code r} event, {@code "COLSxROWS"}). */
    void resize(int columns, int rows) throws RecorderException;

    /** A structured session event, such as a file transfer operation ({@code kind} e.g. {@code sftp.open}). */
    void event(String kind, Map<String, Object> fields) throws RecorderException;

    /**
     * Back-pressure for bulk output: runs {@code resume} once the recorder can take more data, at once on
     * the caller's thread if it can now, else later on the recorder's writer thread. A bridge that reads
     * the next chunk from the target only from {@code resume} keeps the recording buffer small, instead of
     * running it full (and failing closed) when the disk or the CPU falls behind. {@code resume} must not
     * block. It also runs when the recording ends or fails, so that nothing waits forever; the next call
     * then throws.
     */
    default void whenWritable(Runnable resume) {
        resume.run();
    }

    /** Ends the recording; {@code exitStatus} may be null. Idempotent. */
    void close(Integer exitStatus, String endReason);

    @Override
    default void close() {
        close(null, "closed");
    }
}
