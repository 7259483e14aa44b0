package dev.portier.access.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.config.IdentityConfig;
import dev.portier.config.LocalUser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalIdentityProviderTest {
    private static final String ALICE_KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIAlIcEkeyBlobAlIcEkeyBlobAlIcEkeyBlob01";
    private static final String ALICE_RSA = "AAAAB3NzaC1yc2EAAAADAQABAAABAQDaliceRsaBlob";
    private static final String DAVE_KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIDaVeKeyBlobDaVeKeyBlobDaVeKeyBlob0002";

    private final LocalIdentityProvider provider = new LocalIdentityProvider(new IdentityConfig(List.of(
            new LocalUser("alice", null, List.of("netops"), List.of("operator"),
                    List.of("ssh-ed25519 " + ALICE_KEY + " alice@laptop", "ssh-rsa  " + ALICE_RSA)),
            new LocalUser("dave", "partners", List.of("acme"), List.of("operator"),
                    List.of("ssh-ed25519 " + DAVE_KEY + " dave@acme")))));

    @Test
    void registeredKeyAuthenticatesItsUser() {
        Identity id = provider.authenticateByPublicKey("alice", "ssh-ed25519 " + ALICE_KEY).orElseThrow();
        assertEquals(new Identity("alice", "employees", Set.of("netops"), Set.of("operator")), id);
    }

    @Test
    void secondRegisteredKeyAuthenticatesToo() {
        assertTrue(provider.authenticateByPublicKey("alice", "ssh-rsa " + ALICE_RSA).isPresent());
    }

    @Test
    void anotherUsersKeyIsRejected() {
        assertTrue(provider.authenticateByPublicKey("alice", "ssh-ed25519 " + DAVE_KEY).isEmpty());
    }

    @Test
    void commentOnOfferedKeyIsIgnored() {
        assertTrue(provider.authenticateByPublicKey("alice", "ssh-ed25519 " + ALICE_KEY + " other@host").isPresent());
        assertTrue(provider.authenticateByPublicKey("alice", "  ssh-ed25519\t" + ALICE_KEY + "  ").isPresent());
    }

    @Test
    void blobMustMatchExactly() {
        String prefix = ALICE_KEY.substring(0, ALICE_KEY.length() - 1);
        assertTrue(provider.authenticateByPublicKey("alice", "ssh-ed25519 " + prefix).isEmpty());
        assertTrue(provider.authenticateByPublicKey("alice", "ssh-ed25519 " + ALICE_KEY + "A").isEmpty());
    }

    @Test
    void keyTypeMustMatch() {
        assertTrue(provider.authenticateByPublicKey("alice", "ssh-rsa " + ALICE_KEY).isEmpty());
    }

    @Test
    void malformedOfferedKeyIsRejected() {
        assertTrue(provider.authenticateByPublicKey("alice", "ssh-ed25519").isEmpty());
        assertTrue(provider.authenticateByPublicKey("alice", "").isEmpty());
        assertTrue(provider.authenticateByPublicKey("alice", null).isEmpty());
    }

    @Test
    void unknownUserIsRejected() {
        assertTrue(provider.authenticateByPublicKey("mallory", "ssh-ed25519 " + ALICE_KEY).isEmpty());
        assertTrue(provider.lookup("mallory").isEmpty());
    }

    @Test
    void lookupKeepsThePartnerRealm() {
        assertEquals("partners", provider.lookup("dave").orElseThrow().realm());
    }

    @Test
    void userWithoutRealmIsAnEmployee() {
        assertEquals(LocalUser.DEFAULT_REALM, provider.lookup("alice").orElseThrow().realm());
    }

    @Test
    void duplicateUserNamesAreRefused() {
        LocalUser a = new LocalUser("alice", null, List.of(), List.of(), List.of());
        assertThrows(IllegalArgumentException.class,
                () -> new LocalIdentityProvider(new IdentityConfig(List.of(a, a))));
    }
}
