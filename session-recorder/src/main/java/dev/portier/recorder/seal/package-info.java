/**
 * Tamper evidence for recordings (format: {@code docs/evidence.md}): the hash chain over a recording's cast bytes,
 * the signed checkpoints over its head, and the offline verifier. {@link dev.portier.recorder.seal.RecordingChain}
 * is used by the store's writer thread only; the signer and the verifier are stateless and thread-safe.
 */
package dev.portier.recorder.seal;
