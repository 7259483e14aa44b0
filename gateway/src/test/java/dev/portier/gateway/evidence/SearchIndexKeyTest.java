package dev.portier.gateway.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.recorder.index.IndexKey;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchIndexKeyTest {
    @TempDir
    Path data;

    private Vault vault() throws VaultException {
        return Vault.open(data, Optional.empty());
    }

    @Test
    void theKeyIsMadeOnFirstUseAndKeptInTheVault() throws Exception {
        assertTrue(vault().systemSecret(SearchIndexKey.NAME).isEmpty());
        IndexKey first = SearchIndexKey.of(vault());
        assertEquals(IndexKey.KEY_BYTES, vault().systemSecret(SearchIndexKey.NAME).orElseThrow().length);
        assertEquals(first.id(), SearchIndexKey.of(vault()).id(), "the same key at the next start");
    }

    @Test
    void anotherDataDirectoryHasAnotherKey(@TempDir Path other) throws Exception {
        assertNotEquals(SearchIndexKey.of(vault()).id(), SearchIndexKey.of(Vault.open(other, Optional.empty())).id());
    }

    @Test
    void aKeyOfTheWrongLengthIsRefusedWithWhatToDo() throws Exception {
        vault().putSystemSecret(SearchIndexKey.NAME, new byte[16]);
        VaultException e = assertThrows(VaultException.class, () -> SearchIndexKey.of(vault()));
        assertTrue(e.getMessage().contains("delete <data>/vault/.system/search-index-key.json"), e.getMessage());
    }
}
