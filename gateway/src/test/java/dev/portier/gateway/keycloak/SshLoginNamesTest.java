package dev.portier.gateway.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.identity.Identity;
import dev.portier.config.KeycloakConfig;
import dev.portier.config.KeycloakConfig.SshAuth;
import dev.portier.config.SecretRef;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which person a login name means and which keys admit them, over an in-memory directory with three realms: plain
 * names where unambiguous, local users first, realms that allow device login only, keys of someone else.
 */
class SshLoginNamesTest {
    private static final KeycloakConfig.Admin ADMIN = new KeycloakConfig.Admin("master", "portier-admin",
            new SecretRef(SecretRef.Kind.ENV, "X"));
    private static final String KATE_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIfL3Y3Of6lLWvETizTMWGsfQELu+tKQGi8BwnxV8Ndi";
    private static final String PETE_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKTsgMLPXXOM84EjE+jzVz9VIlfScL8IIEJWQoPvy+jZ";
    private static final KeycloakConfig CONFIG = new KeycloakConfig(URI.create("https://sso.example.net"), null, ADMIN,
            List.of(realm("employees", SshAuth.PUBLICKEY, SshAuth.DEVICE), realm("partners", SshAuth.DEVICE),
                    realm("suppliers", SshAuth.PUBLICKEY)));

    private final List<DirectoryUser> users = new ArrayList<>(List.of(
            user("employees", "kate", true, KATE_KEY + " kate@laptop"),
            user("employees", "alice", true),
            user("employees", "ben", false),
            user("partners", "kate", true),
            user("partners", "pete", true, PETE_KEY),
            user("suppliers", "pete", true, PETE_KEY),
            user("suppliers", "sven", true, PETE_KEY + " sven@box", "not a key", "from=\"10.0.0.1\" " + KATE_KEY)));
    private final KeycloakDirectory directory = new KeycloakDirectory() {
        @Override
        public Optional<DirectoryUser> user(String realm, String username) {
            return users.stream().filter(u -> u.realm().equals(realm) && u.username().equals(username)).findFirst();
        }

        @Override
        public List<DirectoryUser> users(String realm, int max) {
            return users.stream().filter(u -> u.realm().equals(realm)).toList();
        }

        @Override
        public void close() {
        }
    };
    private final IdentityMapper mapper = new IdentityMapper(CONFIG, "alice"::equals);
    private final KeycloakLogins logins = new KeycloakLogins(CONFIG, new KeycloakIdentities(CONFIG, directory, mapper),
            "alice"::equals);
    private final KeycloakSshKeys keys = new KeycloakSshKeys(CONFIG, logins, directory, mapper);

    private static KeycloakConfig.Realm realm(String name, SshAuth... auth) {
        return new KeycloakConfig.Realm(name, "portier", Set.of(auth), List.of("RS256"), ADMIN);
    }

    private static DirectoryUser user(String realm, String name, boolean enabled, String... keys) {
        return new DirectoryUser(realm, realm + "-" + name, name, enabled, Set.of("g"), Set.of("operator"), Set.of(),
                List.of(keys));
    }

    @Test
    void plainNameOfTheHomeRealmWinsOverOtherRealms() throws Exception {
        assertEquals(new KeycloakNames.RealmUser("employees", "kate"), logins.resolve("kate"));
        assertEquals(new KeycloakNames.RealmUser("partners", "kate"), logins.resolve("kate@partners"));
    }

    @Test
    void plainNameHeldByOneOtherRealmMeansThatRealmsUser() throws Exception {
        assertEquals(new KeycloakNames.RealmUser("suppliers", "sven"), logins.resolve("sven"));
        assertEquals("sven@suppliers", logins.canonical(logins.resolve("sven")));
    }

    @Test
    void ambiguousPlainNameIsRefusedNamingTheQualifiedForms() {
        KeycloakLoginException e = assertThrows(KeycloakLoginException.class, () -> logins.resolve("pete"));
        assertEquals("pete is a user of several realms; log in as pete@partners or pete@suppliers", e.userMessage());
        assertEquals(new KeycloakNames.RealmUser("suppliers", "pete"), assertDoesNotThrow("pete@suppliers"));
    }

    @Test
    void localUserKeepsTheName() {
        assertTrue(logins.local("alice"));
        KeycloakLoginException e = assertThrows(KeycloakLoginException.class, () -> logins.resolve("alice"));
        assertNull(e.userMessage(), "a local user's name is not Keycloak's business; nothing is said");
    }

    @Test
    void unknownDisabledAndHomeRealmWrittenOutMeanNobodySilently() {
        for (String name : List.of("nobody", "ben", "kate@employees", "kate@master", "Kate", "kate@nowhere")) {
            KeycloakLoginException e = assertThrows(KeycloakLoginException.class, () -> logins.resolve(name), name);
            assertNull(e.userMessage(), name);
        }
    }

    @Test
    void registeredKeyAdmitsItsOwnerOnly() throws Exception {
        keys.load("kate");
        Optional<Identity> kate = keys.match("kate", KATE_KEY + " any comment");
        assertEquals("kate", kate.orElseThrow().user());
        assertEquals("employees", kate.get().realm());
        assertTrue(keys.match("kate", PETE_KEY).isEmpty());
        keys.load("sven@suppliers");
        assertTrue(keys.match("sven@suppliers", KATE_KEY).isEmpty(), "a key with options is refused, not used bare");
        assertEquals("sven@suppliers", keys.match("sven@suppliers", PETE_KEY).orElseThrow().user());
    }

    @Test
    void realmWithoutPublickeyAdmitsNobodyByKey() throws Exception {
        keys.load("pete@partners");
        assertTrue(keys.match("pete@partners", PETE_KEY).isEmpty());
        assertEquals("realm partners allows device login only (sshAuth)", keys.refusal("pete@partners").orElseThrow());
    }

    @Test
    void ambiguousNameEndsTheKeyLoginWithTheQualifiedForms() throws Exception {
        keys.load("pete");
        assertTrue(keys.match("pete", PETE_KEY).isEmpty());
        assertEquals("pete is a user of several realms; log in as pete@partners or pete@suppliers",
                keys.userMessage("pete").orElseThrow());
    }

    @Test
    void nothingIsAnsweredBeforeTheKeysAreLoaded() {
        assertTrue(keys.match("kate", KATE_KEY).isEmpty());
        assertTrue(!keys.answersFromCache("kate") && keys.answersFromCache("alice"));
    }

    private KeycloakNames.RealmUser assertDoesNotThrow(String login) {
        try {
            return logins.resolve(login);
        } catch (Exception e) {
            throw new AssertionError(login + ": " + e.getMessage(), e);
        }
    }
}
