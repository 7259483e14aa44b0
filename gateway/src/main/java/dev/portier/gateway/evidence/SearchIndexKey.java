package dev.portier.gateway.evidence;

import dev.portier.recorder.index.IndexKey;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The key of the blind search index ({@code docs/search.md}): 32 random bytes kept in the vault as a system secret,
 * created on first use, so that the index is only readable with the vault, like the recordings it is made of.
 */
public final class SearchIndexKey {
    public static final String NAME = "search-index-key";

    private SearchIndexKey() {
    }

    /**
     * The index key of {@code vault}, created when it has none yet (the index, written under no key or another
     * one, is then rebuilt from the recordings).
     */
    public static IndexKey of(Vault vault) throws VaultException {
        Optional<byte[]> stored = vault.systemSecret(NAME);
        byte[] key = stored.orElseGet(IndexKey::newKey);
        try {
            if (key.length != IndexKey.KEY_BYTES) {
                throw new VaultException("Portier's " + NAME + " in the vault has " + key.length + " bytes instead of "
                        + IndexKey.KEY_BYTES + "; with the gateway stopped, delete <data>/vault/.system/" + NAME
                        + ".json: a new key is made and the search index rebuilt under it");
            }
            if (stored.isEmpty()) {
                vault.putSystemSecret(NAME, key);
            }
            return IndexKey.of(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
