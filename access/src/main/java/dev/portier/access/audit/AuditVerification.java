package dev.portier.access.audit;

import java.time.Instant;

/**
 * The outcome of verifying an audit log: its hash chain and its signed checkpoints.
 *
 * @param status       VALID: every line belongs to the chain and the last one is a checkpoint whose signature
 *                     verifies (a crash-truncated line that the log itself accounted for with an
 *                     {@code audit.chain-resumed} event does not change that); TAMPERED: a line was changed,
 *                     removed, inserted or reordered, or a checkpoint does not verify; TRUNCATED: the log verifies
 *                     up to {@code signedUpTo}, and what follows is not signed (cut by a crash, or still being
 *                     written)
 * @param events       events (checkpoints not counted) whose place in the chain was verified, up to the first problem
 * @param firstProblem {@code "line N: reason"}, or null when VALID
 * @param signedUpTo   the time of the last checkpoint that verified, or null if none did
 */
public record AuditVerification(Status status, long events, String firstProblem, Instant signedUpTo) {

    /** The three answers {@code portier audit verify} gives. */
    public enum Status {
        VALID, TAMPERED, TRUNCATED
    }

    public boolean valid() {
        return status == Status.VALID;
    }
}
