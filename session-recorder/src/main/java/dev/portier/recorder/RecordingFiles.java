package dev.portier.recorder;

import dev.portier.recorder.storage.LocalFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Recordings are evidence of privileged work and may show secrets a user typed or printed: files are
 * created 0600 and directories 0700 from the start, never opened up and then restricted.
 */
final class RecordingFiles {
    static final String CAST = ".cast";
    static final String META = ".meta.json";
    static final String EVENTS = ".events.jsonl";
    static final String CHAIN = ".chain";

    private RecordingFiles() {
    }

    /** The production {@link ChannelOpener}. */
    static FileChannel createNew(Path file) throws IOException {
        return LocalFiles.createNew(file);
    }

    static void createPrivateDirectories(Path dir) throws IOException {
        LocalFiles.createPrivateDirectories(dir);
    }

    /** Replaces {@code file} by a complete new version: readers see the old or the new, never a mix. */
    static void replaceAtomically(Path file, byte[] content) throws IOException {
        LocalFiles.writeAtomically(file, content);
    }
}
