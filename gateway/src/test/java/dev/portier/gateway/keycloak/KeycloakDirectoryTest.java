package dev.portier.gateway.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.identity.Identity;
import dev.portier.config.ConfigLoader;
import dev.portier.config.KeycloakConfig;
import dev.portier.testsupport.keycloak.Keycloak;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The directory and Keycloak identities against the real Keycloak, with the realms' own service accounts. */
class KeycloakDirectoryTest {
    private final Keycloak kc = Keycloak.shared();
    private KeycloakIntegration keycloak;

    @BeforeEach
    void open() throws Exception {
        keycloak = KeycloakIntegration.open(config(kc.url()), null,
                Map.of("EMP", TestRealms.EMPLOYEES_ADMIN_SECRET, "PAR", TestRealms.PARTNERS_ADMIN_SECRET),
                name -> false, Clock.systemUTC());
    }

    static KeycloakConfig config(String url) throws Exception {
        return ConfigLoader.parse("""
                identity:
                  keycloak:
                    url: "%s"
                    admin: { realm: employees, clientId: portier-admin, clientSecret: "env:EMP" }
                    realms:
                      - { name: employees, clientId: portier, sshAuth: [publickey, device] }
                      - { name: partners, clientId: portier, admin: { clientId: portier-admin, clientSecret: "env:PAR" } }
                """.formatted(url), "directory-test.yaml").identity().keycloak().orElseThrow();
    }

    @AfterEach
    void close() {
        keycloak.close();
    }

    @Test
    void userIsReadWithGroupsRolesAndPublicKeys() throws Exception {
        DirectoryUser sam = keycloak.directory().user("employees", "sam").orElseThrow();
        assertTrue(sam.enabled());
        assertEquals(Set.of("security"), sam.groups());
        assertTrue(sam.realmRoles().contains("approver"), sam.realmRoles().toString());
        assertEquals(List.of(TestRealms.SAM_KEY), sam.sshPublicKeys());
    }

    @Test
    void clientRolesOfThePortierClientAreRead() throws Exception {
        assertEquals(Set.of("reviewer"), keycloak.directory().user("employees", "carl").orElseThrow().clientRoles());
    }

    @Test
    void eachRealmIsReadWithItsOwnServiceAccount() throws Exception {
        DirectoryUser partner = keycloak.directory().user("partners", "kate").orElseThrow();
        assertEquals(Set.of("acme"), partner.groups());
    }

    @Test
    void unknownUserIsEmpty() throws Exception {
        assertEquals(Optional.empty(), keycloak.directory().user("employees", "nobody"));
    }

    @Test
    void identitiesMapTheDirectoryAndQualifyPartners() {
        Identity kate = keycloak.identities().lookup("kate").orElseThrow();
        assertEquals(new Identity("kate", "employees", Set.of("netops"), Set.of("operator")), kate);
        Identity partner = keycloak.identities().lookup("kate@partners").orElseThrow();
        assertEquals(new Identity("kate@partners", "partners", Set.of("acme"), Set.of("operator")), partner);
        assertTrue(keycloak.identities().all().stream().anyMatch(i -> i.user().equals("pete@partners")));
    }

    @Test
    void wrongServiceAccountSecretIsUnavailableNotUnknown() throws Exception {
        try (KeycloakIntegration wrong = KeycloakIntegration.open(config(kc.url()), null,
                Map.of("EMP", "not-the-secret", "PAR", "not-the-secret"), name -> false, Clock.systemUTC())) {
            assertThrows(KeycloakException.class, () -> wrong.directory().user("employees", "sam"));
            assertFalse(wrong.identities().lookup("sam").isPresent(), "fail closed");
        }
    }

    @Test
    void missingSecretIsNamedWithoutAValue() {
        KeycloakException e = assertThrows(KeycloakException.class, () -> KeycloakIntegration.open(config(kc.url()),
                null, Map.of(), name -> false, Clock.systemUTC()));
        assertEquals("environment variable EMP is not set; the Keycloak service account portier-admin of realm"
                + " employees needs it", e.getMessage());
    }
}
