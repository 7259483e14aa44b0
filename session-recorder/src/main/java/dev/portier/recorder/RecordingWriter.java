package dev.portier.recorder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The disk side of one recording: the cast file, and the structured events file once there is an event
 * (most sessions have none). Writes are serialised by the owner; {@link #sync} may run on another thread
 * at the same time ({@code FileChannel} allows it), but never concurrently with {@link #close}.
 */
final class RecordingWriter {
    private final Path eventsFile;
    private final ChannelOpener opener;
    private final FileChannel cast;
    private volatile FileChannel events;
    private final AtomicBoolean unsynced = new AtomicBoolean();
    private volatile boolean closed;

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
            unsynced.set(true);
        }
        if (drained.events().size() > 0) {
            if (events == null) {
                events = opener.createNew(eventsFile);
            }
            drained.events().writeTo(events);
            unsynced.set(true);
        }
    }

    /** Syncs file content (not metadata: {@code force(false)}) if anything was written since the last sync. */
    void sync() throws IOException {
        // Cleared before forcing: a write racing with the force sets it again for the next sync.
        if (unsynced.getAndSet(false)) {
            cast.force(false);
            FileChannel eventsChannel = events;
            if (eventsChannel != null) {
                eventsChannel.force(false);
            }
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
