package dev.portier.recorder;

import dev.portier.recorder.crypt.ChunkCipher;
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
 * Encrypted, every write of cast bytes is one frame, and the chain covers the frame as stored: verifying needs no
 * key. Writes are serialised by the owner; {@link #sync} may run on another thread at the same time
 * ({@code FileChannel} allows it), but never concurrently with {@link #close}.
 */
final class RecordingWriter {
    /**
     * How an encrypted recording's files start: each with a clear header line (the cast's holds the wrapped key),
     * then frames sealed by {@code cipher}.
     */
    record Sealing(ChunkCipher cipher, byte[] castHeader, byte[] eventsHeader) {
    }

    private final Path eventsFile;
    private final ChannelOpener opener;
    private final FileChannel cast;
    private final FileChannel chainFile;
    private final RecordingChain chain;
    private final MessageDigest sha256;
    /** Null for a plain recording. */
    private final Sealing sealing;
    /** The encrypted form of the chunk being written; reused. */
    private final ChunkBuffer frame = new ChunkBuffer();
    private long castFrames;
    private long eventFrames;
    private volatile FileChannel events;
    private final AtomicBoolean unsynced = new AtomicBoolean();
    private volatile boolean closed;

    private RecordingWriter(FileChannel cast, FileChannel chainFile, RecordingChain chain, Path eventsFile,
            ChannelOpener opener, Sealing sealing) {
        this.cast = cast;
        this.chainFile = chainFile;
        this.chain = chain;
        this.eventsFile = eventsFile;
        this.opener = opener;
        this.sha256 = newSha256();
        this.sealing = sealing;
    }

    /**
     * Creates the cast file, which must not exist yet, starting with {@code header}, and the chain file with the
     * header as chunk 0. With {@code sealing} (null: plain), chunk 0 is the clear header line and the asciicast
     * {@code header} is chunk 1, encrypted.
     */
    static RecordingWriter create(Path castFile, Path chainPath, Path eventsFile, ChannelOpener opener, byte[] header,
            RecordingChain chain, Sealing sealing) throws IOException {
        FileChannel cast = opener.createNew(castFile);
        FileChannel chainFile = null;
        try {
            byte[] first = sealing == null ? header : sealing.castHeader();
            writeFully(cast, first);
            chainFile = opener.createNew(chainPath);
            writeFully(chainFile, chain.chunk(newSha256().digest(first), first.length, 0));
        } catch (IOException | RuntimeException e) {
            cast.close();
            if (chainFile != null) {
                chainFile.close();
            }
            throw e;
        }
        RecordingWriter writer = new RecordingWriter(cast, chainFile, chain, eventsFile, opener, sealing);
        if (sealing != null) {
            ChunkBuffer plain = new ChunkBuffer();
            plain.append(header);
            try {
                writer.writeCast(plain, 0);
            } catch (IOException | RuntimeException e) {
                try {
                    writer.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }
        return writer;
    }

    boolean isClosed() {
        return closed;
    }

    /** Writes the drained bytes; the cast's become chain chunk recorded at {@code tNanos} after the start. */
    void write(RecordingBuffer.Drained drained, long tNanos) throws IOException {
        if (drained.cast().size() > 0) {
            writeCast(drained.cast(), tNanos);
        }
        if (drained.events().size() > 0) {
            if (events == null) {
                events = opener.createNew(eventsFile);
                if (sealing != null) {
                    writeFully(events, sealing.eventsHeader());
                }
            }
            ChunkBuffer stored = drained.events();
            if (sealing != null) {
                stored.sealInto(sealing.cipher(), ChunkCipher.Stream.EVENTS, ++eventFrames, frame);
                stored = frame;
            }
            stored.writeTo(events);
            unsynced.set(true);
            frame.clear();
        }
    }

    /** One chunk: its bytes as stored (the frame, when encrypted), then the chain record that covers them. */
    private void writeCast(ChunkBuffer plain, long tNanos) throws IOException {
        ChunkBuffer stored = plain;
        if (sealing != null) {
            plain.sealInto(sealing.cipher(), ChunkCipher.Stream.CAST, ++castFrames, frame);
            stored = frame;
        }
        stored.writeTo(cast);
        stored.digestInto(sha256);
        writeFully(chainFile, chain.chunk(sha256.digest(), stored.size(), tNanos));
        unsynced.set(true);
        frame.clear();
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
