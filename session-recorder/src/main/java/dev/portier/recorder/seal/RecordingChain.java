package dev.portier.recorder.seal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.portier.recorder.asciicast.AsciicastEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * The writing side of a recording's {@code .chain} file: one chunk record per write of cast bytes, chained by
 * hash, and signed checkpoints over the chain head. Produces the lines; the caller appends them to the file
 * after the cast bytes they describe. Not thread-safe: the store's writer serialises every call.
 */
public final class RecordingChain {
    /** The JWS payload {@code typ} of a recording checkpoint. */
    public static final String PAYLOAD_TYPE = "portier-recording-checkpoint";

    private final String recordingId;
    private final String quotedId;
    private final CheckpointSigner signer;
    private long nextSeq;
    private long nextOffset;
    private String head = ChainLine.ZEROS;
    private long headNanos;
    /** Chunks written since the last checkpoint. */
    private long unsigned;
    private long lastCheckpointNanos = -1;
    private boolean finished;

    public RecordingChain(String recordingId, CheckpointSigner signer) {
        this.recordingId = Objects.requireNonNull(recordingId);
        this.quotedId = new String(JsonStringEncoder.getInstance().quoteAsString(recordingId));
        this.signer = Objects.requireNonNull(signer);
    }

    /**
     * Records that {@code length} cast bytes with digest {@code sha256} were appended at the current end of the
     * cast, {@code tNanos} after the recording started (no event in them is later).
     *
     * @return the chunk line to append to the chain file, newline included
     */
    public byte[] chunk(byte[] sha256, long length, long tNanos) {
        if (finished) {
            throw new IllegalStateException("recording " + recordingId + " has its final checkpoint");
        }
        if (length <= 0) {
            throw new IllegalArgumentException("a chunk has at least one byte");
        }
        long t = Math.max(tNanos, headNanos);
        String body = "{\"seq\":" + nextSeq + ",\"offset\":" + nextOffset + ",\"length\":" + length
                + ",\"t\":" + AsciicastEvents.seconds(t) + ",\"sha256\":\"" + ChainLine.hex(sha256)
                + "\",\"prev\":\"" + head + "\"}";
        String[] hash = new String[1];
        byte[] line = ChainLine.seal(body, hash);
        head = hash[0];
        headNanos = t;
        nextSeq++;
        nextOffset += length;
        unsigned++;
        return line;
    }

    /** Whether chunks are waiting for a signature and the last checkpoint is {@code intervalNanos} old (or none). */
    public boolean checkpointDue(long nowNanos, long intervalNanos) {
        return unsigned > 0 && !finished && (lastCheckpointNanos < 0 || nowNanos - lastCheckpointNanos >= intervalNanos);
    }

    /**
     * Signs the current head. {@code last} marks the checkpoint written when the recording was closed: nothing
     * follows it, in the chain or in the cast.
     *
     * @return the checkpoint line, newline included
     * @throws IllegalStateException if there is no chunk yet or the final checkpoint was written
     */
    public byte[] checkpoint(long nowNanos, boolean last, Instant at) {
        if (finished || nextSeq == 0) {
            throw new IllegalStateException("nothing to sign in recording " + recordingId);
        }
        long seq = nextSeq - 1;
        String t = AsciicastEvents.seconds(headNanos);
        String payload = "{\"typ\":\"" + PAYLOAD_TYPE + "\",\"rec\":\"" + quotedId + "\",\"seq\":" + seq
                + ",\"head\":\"" + head + "\",\"t\":" + t + ",\"final\":" + last + ",\"at\":\"" + at + "\"}";
        String jws = signer.sign(payload.getBytes(StandardCharsets.UTF_8));
        String body = "{\"type\":\"checkpoint\",\"seq\":" + seq + ",\"head\":\"" + head + "\",\"t\":" + t
                + ",\"final\":" + last + ",\"at\":\"" + at + "\",\"jws\":\"" + jws + "\"}";
        byte[] line = ChainLine.seal(body, new String[1]);
        unsigned = 0;
        lastCheckpointNanos = nowNanos;
        finished = last;
        return line;
    }

    /** Bytes of cast the chain covers so far. */
    public long covered() {
        return nextOffset;
    }
}
