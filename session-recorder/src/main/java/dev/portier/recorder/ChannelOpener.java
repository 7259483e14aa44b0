package dev.portier.recorder;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Creates a recording's files; a seam so that tests can make the disk fail underneath a live recording. */
@FunctionalInterface
interface ChannelOpener {
    /** Creates {@code file}, which must not exist yet, for writing. */
    FileChannel createNew(Path file) throws IOException;
}
