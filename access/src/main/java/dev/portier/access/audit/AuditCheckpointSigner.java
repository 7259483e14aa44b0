package dev.portier.access.audit;

/**
 * Signs the audit log's checkpoints with the evidence key (which lives in the vault, outside this module). Called
 * with the log's lock held, at most once per checkpoint interval and at close. Must be thread-safe.
 */
@FunctionalInterface
public interface AuditCheckpointSigner {
    /**
     * @param payload the exact JSON bytes to sign
     * @return a compact JWS (ES256, {@code typ} {@value AuditCheckpoint#JWS_TYPE}) over {@code payload}
     * @throws RuntimeException if it cannot sign; the checkpoint is not written and the log stops (fail closed)
     */
    String sign(byte[] payload);
}
