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

    /** Ends the recording; {@code exitStatus} may be null. Idempotent. */
    void close(Integer exitStatus, String endReason);

    @Override
    default void close() {
        close(null, "closed");
    }
}
