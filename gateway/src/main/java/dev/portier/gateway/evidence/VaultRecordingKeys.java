package dev.portier.gateway.evidence;

import dev.portier.recorder.crypt.RecordingCryptoException;
import dev.portier.recorder.crypt.RecordingKeys;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The recorder's data keys, wrapped by the vault's master key ({@link Vault#wrapRecordingKey}): the wiring between
 * the recorder and the vault, which do not know each other. Thread-safe.
 */
public final class VaultRecordingKeys implements RecordingKeys {
    /** Opens the vault when a key is first needed. */
    @FunctionalInterface
    interface VaultOpener {
        Vault open() throws VaultException;
    }

    private final VaultOpener opener;
    private Vault vault;

    private VaultRecordingKeys(VaultOpener opener) {
        this.opener = opener;
    }

    /** With the gateway's open vault. */
    public VaultRecordingKeys(Vault vault) {
        this(() -> vault);
        Objects.requireNonNull(vault, "vault");
    }

    /**
     * For commands that read what a gateway recorded: opens the vault of {@code dataDir} the first time an encrypted
     * recording is read, never creating a master key, so that listing and verifying need none.
     */
    public static VaultRecordingKeys of(Path dataDir) {
        return new VaultRecordingKeys(() -> Vault.openExisting(dataDir));
    }

    @Override
    public String wrap(String recordingId, byte[] dataKey) throws RecordingCryptoException {
        try {
            return vault().wrapRecordingKey(recordingId, dataKey);
        } catch (VaultException e) {
            throw new RecordingCryptoException(e.getMessage());
        }
    }

    @Override
    public byte[] unwrap(String recordingId, String wrappedKey) throws RecordingCryptoException {
        try {
            return vault().unwrapRecordingKey(recordingId, wrappedKey);
        } catch (VaultException e) {
            // The vault's messages name the cause and never a key; its exceptions carry no key material either.
            throw new RecordingCryptoException(e.getMessage());
        }
    }

    private synchronized Vault vault() throws VaultException {
        if (vault == null) {
            vault = opener.open();
        }
        return vault;
    }
}
