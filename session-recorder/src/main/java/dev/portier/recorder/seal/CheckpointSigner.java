package dev.portier.recorder.seal;

/**
 * Signs a checkpoint: the seam between the recorder and the key, which lives in the vault (the recorder does not
 * depend on the vault). Called on the store's writer thread, never on an I/O thread; must be thread-safe.
 */
@FunctionalInterface
public interface CheckpointSigner {
    /**
     * @param payload the exact JSON bytes to sign (the JWS payload)
     * @return a compact JWS (ES256) over {@code payload}
     * @throws RuntimeException if it cannot sign: the recording fails (closed)
     */
    String sign(byte[] payload);
}
