package dev.portier.recorder.storage;

import java.io.IOException;
import java.nio.file.Path;

/** Recordings in the recordings directory only: nothing to upload or restore. */
final class LocalStorage implements RecordingStorage {
    private final Path dir;
    private final LegalHolds holds;

    LocalStorage(Path recordingsDir) {
        this.dir = recordingsDir;
        this.holds = new LegalHolds(recordingsDir, null);
    }

    @Override
    public String location() {
        return "local";
    }

    @Override
    public Location locate(String id) {
        return Location.LOCAL;
    }

    @Override
    public void restore(String id) {
        // The recordings directory is the only copy.
    }

    @Override
    public void closed(String id) {
        // Nothing to upload.
    }

    @Override
    public void delete(String id) throws IOException {
        LocalFiles.deleteRecording(dir, id);
    }

    @Override
    public LegalHolds holds() {
        return holds;
    }

    @Override
    public void close() {
        // No thread, no connection.
    }
}
