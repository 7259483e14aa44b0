package dev.portier.recorder.seal;

/**
 * What verifying a recording found.
 *
 * @param status       the answer
 * @param message      one sentence for people, naming what was found where
 * @param validUpTo    seconds since the start up to which the recording is proven by a signed checkpoint (the
 *                     whole recording when VALID); null when nothing is proven
 * @param badChunk     TAMPERED: the sequence number of the first chunk that does not verify, or null if the
 *                     problem is not tied to one chunk
 * @param badChunkTime TAMPERED: that chunk's time (seconds since the start) as its record states it, or null
 */
public record Verdict(Status status, String message, Double validUpTo, Long badChunk, Double badChunkTime) {

    /** The three answers {@code portier verify} gives. */
    public enum Status {
        /** Every byte is covered by the chain and the final checkpoint, whose signature verifies. */
        VALID,
        /** Something covered by a valid signature, or a complete record, does not verify: changed after writing. */
        TAMPERED,
        /** The recording verifies up to {@code validUpTo}, then ends without its final checkpoint (a crash). */
        TRUNCATED
    }

    public boolean valid() {
        return status == Status.VALID;
    }

    /** {@code STATUS: message}, as {@code portier verify} prints it. */
    @Override
    public String toString() {
        return status + ": " + message;
    }
}
