package dev.portier.recorder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The disk side of one recording: the cast file, and the structured events file once there is an event
 * (most sessions have none). Not thread-safe: its owner serialises calls, so lines keep their order.
 */
final class RecordingWriter {
    private final Path eventsFile;
    private final ChannelOpener opener;
    private final FileChannel cast;
    private FileChannel events;
    private boolean unsynced;
    private boolean closed;

    private RecordingWriter(FileChannel cast, Path eventsFile, ChannelOpener opener) {
        this.cast = cast;
        this.eventsFile = eventsFile;
        this.opener = opener;
    }

    /** Creates the cast file, which must not exist yet, starting with {@code header}. */
    static RecordingWriter create(Path castFile, Path eventsFile, ChannelOpener opener, byte[] header)
            throws IOException {
        FileChannel cast = opener.createNew(castFile);
        try {
            ByteBuffer buf = ByteBuffer.wrap(header);
            while (buf.hasRemaining()) {
                cast.write(buf);
            }
        } catch (IOException e) {
            cast.close();
            throw e;
        }
        return new RecordingWriter(cast, eventsFile, opener);
    }

    boolean isClosed() {
        return closed;
    }

    void write(RecordingBuffer.Drained drained) throws IOException {
        if (drained.cast().size() > 0) {
            drained.cast().writeTo(cast);
            unsynced = true;
        }
        if (drained.events().size() > 0) {
            if (events == null) {
                events = opener.createNew(eventsFile);
            }
            drained.events().writeTo(events);
            unsynced = true;
        }
    }

    /** Syncs file content (not metadata: {@code force(false)}) if anything was written since the last sync. */
    void sync() throws IOException {
        if (unsynced) {
            cast.force(false);
            if (events != null) {
                events.force(false);
            }
            unsynced = false;
        }
    }

    void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cast.close();
        } finally {
            if (events != null) {
                events.close();
            }
        }
    }
}
