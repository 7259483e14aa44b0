package dev.portier.recorder.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where closed recordings are kept, behind the recordings directory that the recorder writes: that directory
 * alone ({@link #local}), or that directory as a spool in front of an object store ({@link SpooledStorage}).
 * Readers go through {@code RecordingStore}, which calls {@link #restore} before it reads, so that a recording
 * whose local copy is gone reads the same as one still on disk.
 */
public interface RecordingStorage extends AutoCloseable {

    /** Where a recording's content is now. */
    enum Location {
        /** In the recordings directory, the only place (local storage). */
        LOCAL,
        /** Only in the recordings directory so far: open, or waiting to be uploaded. */
        SPOOLED,
        /** Confirmed in the object store; the local copy may be gone. */
        UPLOADED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Today's behaviour: recordings live in {@code recordingsDir} only; holds are kept there too. */
    static RecordingStorage local(Path recordingsDir) {
        return new LocalStorage(recordingsDir);
    }

    /** {@code local}, or the object store's {@code s3://bucket/prefix}. */
    String location();

    Location locate(String id);

    /**
     * Puts the files of recording {@code id} back into the recordings directory if only the object store has them
     * (checked against the SHA-256 recorded at upload). Blocking: never on an SSH I/O thread.
     *
     * @throws IOException if the store cannot be reached or its copy does not match what was uploaded
     */
    void restore(String id) throws IOException;

    /** Recording {@code id} was closed: its files are complete. Never blocks. */
    void closed(String id);

    /** Deletes recording {@code id} everywhere: the object store's copy first, the local files (metadata last). */
    void delete(String id) throws IOException;

    LegalHolds holds();

    @Override
    void close();
}
