/**
 * Encryption at rest of recordings (format: {@code docs/evidence.md}, "Encrypted recordings"): a random AES-256 key
 * per recording, wrapped by the vault's master key through {@link dev.portier.recorder.crypt.RecordingKeys}; every
 * chunk the writer appends is one AES-256-GCM frame, decryptable on its own, bound to the recording id, its file
 * and its sequence number. {@link dev.portier.recorder.crypt.RecordingReader} is the one way to read a stored file,
 * plain (written before encryption) or encrypted. Threading: a {@link dev.portier.recorder.crypt.ChunkCipher} is
 * used by one thread at a time (the store's writer thread, or one reader); everything else is stateless.
 */
package dev.portier.recorder.crypt;
