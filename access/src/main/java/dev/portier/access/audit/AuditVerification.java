package dev.portier.access.audit;

/**
 * The outcome of recomputing an audit log's hash chain.
 *
 * @param valid        every line belongs to the chain (a crash-truncated line that the log itself accounted for
 *                     with an {@code audit.chain-resumed} event does not make it invalid)
 * @param events       events whose place in the chain was verified, up to the first problem
 * @param firstProblem {@code "line N: reason"}, or null when valid
 */
public record AuditVerification(boolean valid, long events, String firstProblem) {
}
