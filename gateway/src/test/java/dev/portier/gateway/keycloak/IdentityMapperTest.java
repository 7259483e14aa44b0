package dev.portier.gateway.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portier.access.identity.Identity;
import dev.portier.config.KeycloakConfig;
import dev.portier.config.SecretRef;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityMapperTest {
    private static final KeycloakConfig.Admin ADMIN = new KeycloakConfig.Admin("master", "portier-admin",
            new SecretRef(SecretRef.Kind.ENV, "X"));
    private static final KeycloakConfig CONFIG = new KeycloakConfig(URI.create("https://sso.example.net"), null, ADMIN,
            List.of(realm("employees"), realm("partners")));
    private final IdentityMapper mapper = new IdentityMapper(CONFIG, "alice"::equals);

    private static KeycloakConfig.Realm realm(String name) {
        return new KeycloakConfig.Realm(name, "portier", Set.of(KeycloakConfig.SshAuth.DEVICE), List.of("RS256"), ADMIN);
    }

    @Test
    void groupsAreTeamsAndRealmPlusClientRolesAreRoles() {
        Identity kate = mapper.identity("employees", "kate", Set.of("netops"),
                Set.of("operator", "default-roles-employees", "offline_access", "uma_authorization"), Set.of("reviewer"));
        assertEquals(new Identity("kate", "employees", Set.of("netops"), Set.of("operator", "reviewer")), kate);
    }

    @Test
    void usersOfOtherRealmsAreQualifiedAndKeepTheirRealm() {
        Identity partner = mapper.identity("partners", "kate", Set.of("acme"), Set.of("operator"), Set.of());
        assertEquals("kate@partners", partner.user());
        assertEquals("partners", partner.realm(), "sod.suppliers.realms matches on it");
    }

    @Test
    void namesParseBackToTheirRealmUser() {
        KeycloakNames names = mapper.names();
        assertEquals(Optional.of(new KeycloakNames.RealmUser("employees", "kate")), names.parse("kate"));
        assertEquals(Optional.of(new KeycloakNames.RealmUser("partners", "kate")), names.parse("kate@partners"));
        assertEquals(Optional.empty(), names.parse("kate@employees"), "the home realm is never written out");
        assertEquals(Optional.empty(), names.parse("kate@master"), "an untrusted realm names nobody");
        assertEquals(Optional.empty(), names.parse("kate:lab@partners"));
        assertEquals(Optional.empty(), names.parse("KATE"));
    }

    @Test
    void homeRealmUserNamedLikeALocalUserGetsNoIdentity() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mapper.identity("employees", "alice", Set.of(), Set.of(), Set.of()));
        assertEquals("alice is both a local user and a Keycloak user of realm employees; rename one of them",
                e.getMessage());
        assertEquals("alice@partners", mapper.identity("partners", "alice", Set.of(), Set.of(), Set.of()).user());
    }

    @Test
    void usernameOutsideTheSshGrammarGetsNoIdentity() {
        for (String bad : List.of("kate@acme.com", "kate:admin", "kate#x", "a/b", "x".repeat(33))) {
            assertThrows(IllegalArgumentException.class,
                    () -> mapper.identity("employees", bad, Set.of(), Set.of(), Set.of()), bad);
        }
    }
}
