package dev.portier.recorder;

import dev.portier.recorder.seal.RecordingChain;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The disk side of one recording: the cast file, its evidence chain ({@code .chain}, see {@code docs/evidence.md})
 * and the structured events file once there is an event (most sessions have none). Cast bytes are always written
 * before the chain record that covers them, so a crash leaves uncovered bytes, never a record without its bytes.
 * Writes are serialised by the owner; {@link #sync} may run on another thread at the same time ({@code FileChannel}
 * allows it), but never concurrently with {@link #close}.
 */
final class RecordingWriter {
    private final Path eventsFile;
    private final ChannelOpener opener;
    private final FileChannel cast;
    private final FileChannel chainFile;
    private final RecordingChain chain;
    private final MessageDigest sha256;
    private volatile FileChannel events;
    private final AtomicBoolean unsynced = new AtomicBoolean();
    private volatile boolean closed;

    private RecordingWriter(FileChannel cast, FileChannel chainFile, RecordingChain chain, Path eventsFile,
            ChannelOpener opener) {
        this.cast = cast;
        this.chainFile = chainFile;
        this.chain = chain;
        this.eventsFile = eventsFile;
        this.opener = opener;
        this.sha256 = newSha256();
    }

    /**
     * Creates the cast file, which must not exist yet, starting with {@code header}, and the chain file with the
     * header as chunk 0.
     */
    static RecordingWriter create(Path castFile, Path chainPath, Path eventsFile, ChannelOpener opener, byte[] header,
            RecordingChain chain) throws IOException {
        FileChannel cast = opener.createNew(castFile);
        FileChannel chainFile = null;
        try {
            writeFully(cast, header);
            chainFile = opener.createNew(chainPath);
            writeFully(chainFile, chain.chunk(newSha256().digest(header), header.length, 0));
        } catch (IOException | RuntimeException e) {
            cast.close();
            if (chainFile != null) {
                chainFile.close();
            }
            throw e;
        }
        return new RecordingWriter(cast, chainFile, chain, eventsFile, opener);
    }

    boolean isClosed() {
        return closed;
    }

    /** Writes the drained bytes; the cast's become chain chunk recorded at {@code tNanos} after the start. */
    void write(RecordingBuffer.Drained drained, long tNanos) throws IOException {
        if (drained.cast().size() > 0) {
            drained.cast().writeTo(cast);
            drained.cast().digestInto(sha256);
            writeFully(chainFile, chain.chunk(sha256.digest(), drained.cast().size(), tNanos));
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

    /** Signs the chain head if chunks have waited {@code intervalNanos} or more (or there was no checkpoint yet). */
    void checkpointIfDue(long nowNanos, long intervalNanos) throws IOException {
        if (chain.checkpointDue(nowNanos, intervalNanos)) {
            writeFully(chainFile, chain.checkpoint(nowNanos, false, Instant.now()));
            unsynced.set(true);
        }
    }

    /** The final checkpoint: nothing may be written after it. */
    void finalCheckpoint(long nowNanos) throws IOException {
        writeFully(chainFile, chain.checkpoint(nowNanos, true, Instant.now()));
        unsynced.set(true);
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
            chainFile.force(false);
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
            try {
                chainFile.close();
            } finally {
                if (events != null) {
                    events.close();
                }
            }
        }
    }

    private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
