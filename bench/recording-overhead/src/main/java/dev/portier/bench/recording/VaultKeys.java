package dev.portier.bench.recording;

import dev.portier.recorder.crypt.RecordingCryptoException;
import dev.portier.recorder.crypt.RecordingKeys;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;

/** Recording keys wrapped by a real vault's master key, as the gateway wires them (its VaultRecordingKeys). */
final class VaultKeys implements RecordingKeys {
    private final Vault vault;

    VaultKeys(Vault vault) {
        this.vault = vault;
    }

    @Override
    public String wrap(String recordingId, byte[] dataKey) throws RecordingCryptoException {
        try {
            return vault.wrapRecordingKey(recordingId, dataKey);
        } catch (VaultException e) {
            throw new RecordingCryptoException(e.getMessage());
        }
    }

    @Override
    public byte[] unwrap(String recordingId, String wrappedKey) throws RecordingCryptoException {
        try {
            return vault.unwrapRecordingKey(recordingId, wrappedKey);
        } catch (VaultException e) {
            throw new RecordingCryptoException(e.getMessage());
        }
    }
}
