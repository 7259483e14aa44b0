package dev.portier.config;

import static dev.portier.config.ConfigAssertions.problem;
import static dev.portier.config.ConfigAssertions.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.config.KeycloakConfig.SshAuth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeycloakValidationTest {
    private static final String VALID = """
            identity:
              keycloak:
                url: "https://sso.example.net/"
                admin: { realm: employees, clientId: portier-admin, clientSecret: "env:KC_SECRET" }
                realms:
                  - { name: employees, clientId: portier, sshAuth: [publickey, device] }
                  - name: partners
                    clientId: portier
                    admin: { clientId: reader, clientSecret: "vault:keycloak/partners" }
            """;

    private static KeycloakConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "portier.yaml").identity().keycloak().orElseThrow();
    }

    @Test
    void validSectionIsReadIntoRecords() throws ConfigException {
        KeycloakConfig kc = parse(VALID);
        assertEquals("https://sso.example.net", kc.url().toString());
        assertEquals(new SecretRef(SecretRef.Kind.ENV, "KC_SECRET"), kc.admin().clientSecret());
        assertEquals("employees", kc.homeRealm().name());
        assertEquals(Set.of(SshAuth.PUBLICKEY, SshAuth.DEVICE), kc.homeRealm().sshAuth());
        assertEquals(kc.admin(), kc.homeRealm().admin());
        KeycloakConfig.Realm partners = kc.realm("partners").orElseThrow();
        assertEquals(Set.of(SshAuth.DEVICE), partners.sshAuth(), "device login is the default");
        assertEquals(List.of("RS256"), partners.algorithms());
        assertEquals(new KeycloakConfig.Admin("partners", "reader", new SecretRef(SecretRef.Kind.VAULT,
                "keycloak/partners")), partners.admin());
    }

    @Test
    void withoutKeycloakSectionThereIsNone() throws ConfigException {
        assertFalse(ConfigLoader.parse("identity:\n  local:\n    users: []\n", "portier.yaml").identity().keycloak().isPresent());
    }

    @Test
    void clearSecretIsRefusedWithoutQuotingIt() {
        String message = problem(VALID.replace("env:KC_SECRET", "s3cr3t-value"));
        assertEquals("portier.yaml:4: identity.keycloak.admin.clientSecret: must not be written in clear; write env:NAME"
                + " (an environment variable) or vault:TARGET/ACCOUNT (./portier vault put TARGET/ACCOUNT"
                + " --password-stdin)", message);
        assertFalse(message.contains("s3cr3t"));
    }

    @Test
    void clearSecretOfARealmAdminIsRefused() {
        assertEquals("portier.yaml:9: identity.keycloak.realms[1].admin.clientSecret: must not be written in clear;"
                + " write env:NAME (an environment variable) or vault:TARGET/ACCOUNT (./portier vault put"
                + " TARGET/ACCOUNT --password-stdin)", problem(VALID.replace("vault:keycloak/partners", "hunter2")));
    }

    @Test
    void badVaultReferenceIsRefused() {
        assertEquals("portier.yaml:9: identity.keycloak.realms[1].admin.clientSecret: vault: must be followed by"
                + " TARGET/ACCOUNT, as stored with ./portier vault put TARGET/ACCOUNT --password-stdin",
                problem(VALID.replace("vault:keycloak/partners", "vault:keycloak")));
    }

    @Test
    void plainHttpToAnotherHostIsRefused() {
        assertEquals("portier.yaml:3: identity.keycloak.url: must use https: Portier fetches signing keys and tokens"
                + " from it (plain http is accepted only on the loopback interface)",
                problem(VALID.replace("https://sso.example.net/", "http://sso.example.net")));
    }

    @Test
    void plainHttpOnLoopbackIsAccepted() throws ConfigException {
        assertEquals("http://127.0.0.1:8080", parse(VALID.replace("https://sso.example.net/", "http://127.0.0.1:8080"))
                .url().toString());
    }

    @Test
    void urlWithCredentialsIsRefused() {
        assertEquals("portier.yaml:3: identity.keycloak.url: must be the server's base URL alone, without user, query"
                + " or fragment", problem(VALID.replace("https://sso.example.net/", "https://u:p@sso.example.net")));
    }

    @Test
    void realmWithoutReaderIsRefused() {
        assertEquals("portier.yaml:7: identity.keycloak.realms[1].name: Portier cannot read the users of realm partners"
                + " with the admin client of realm employees; give this realm its own admin: { clientId, clientSecret },"
                + " or use a service account of the master realm",
                problem(VALID.replace("    admin: { clientId: reader, clientSecret: \"vault:keycloak/partners\" }\n", "")));
    }

    @Test
    void masterAdminReadsEveryRealm() throws ConfigException {
        KeycloakConfig kc = parse(VALID.replace("realm: employees, clientId: portier-admin", "realm: master, clientId: portier-admin")
                .replace("    admin: { clientId: reader, clientSecret: \"vault:keycloak/partners\" }\n", ""));
        assertEquals("master", kc.realm("partners").orElseThrow().admin().realm());
    }

    @Test
    void adminRealmMustBeKnown() {
        assertEquals("portier.yaml:4: identity.keycloak.admin.realm: \"staff\" is neither master nor one of"
                + " identity.keycloak.realms", problem(VALID.replace("realm: employees,", "realm: staff,")));
    }

    @Test
    void masterIsNotATrustedRealm() {
        assertEquals("portier.yaml:6: identity.keycloak.realms[0].name: master is Keycloak's administration realm;"
                + " keep Portier's users in realms of their own", problem(VALID.replace("name: employees", "name: master")
                .replace("realm: employees,", "realm: master,")));
    }

    @Test
    void realmNameWithSeparatorIsRefused() {
        assertTrue(problem(VALID.replace("name: partners", "name: \"part@ners\""))
                .startsWith("portier.yaml:7: identity.keycloak.realms[1].name: \"part@ners\" is not a valid realm name"));
    }

    @Test
    void hmacAndNoneAreNeverAccepted() {
        List<String> p = problems(VALID.replace("sshAuth: [publickey, device] }", "algorithms: [HS256, none] }"));
        String allowed = String.join(", ", KeycloakConfig.ALLOWED_ALGORITHMS);
        assertEquals(List.of(
                "portier.yaml:6: identity.keycloak.realms[0].algorithms[0]: \"HS256\" is not an accepted token signature"
                        + " algorithm; allowed: " + allowed + " (HMAC and none are never accepted)",
                "portier.yaml:6: identity.keycloak.realms[0].algorithms[1]: \"none\" is not an accepted token signature"
                        + " algorithm; allowed: " + allowed + " (HMAC and none are never accepted)"), p);
    }

    @Test
    void unknownSshAuthIsRefused() {
        assertEquals("portier.yaml:6: identity.keycloak.realms[0].sshAuth[1]: \"password\" is not an SSH login method;"
                + " allowed: publickey, device", problem(VALID.replace("[publickey, device]", "[publickey, password]")));
    }

    @Test
    void duplicateRealmIsRefused() {
        assertEquals("portier.yaml:7: identity.keycloak.realms[1].name: duplicate realm \"employees\" (first at line 6)",
                problem(VALID.replace("name: partners", "name: employees")));
    }

    @Test
    void missingPartsAreNamed() {
        assertEquals(List.of(
                "portier.yaml:3: identity.keycloak.url: is required (the Keycloak server, e.g. https://sso.example.net)",
                "portier.yaml:3: identity.keycloak.admin: is required (the service account Portier reads users with:"
                        + " realm, clientId, clientSecret)",
                "portier.yaml:3: identity.keycloak.realms: is required (at least one, e.g. [{ name: employees,"
                        + " clientId: portier }])"),
                problems("identity:\n  keycloak:\n    caFile: /etc/ca.pem\n"));
    }

    @Test
    void unknownKeyIsRefused() {
        assertEquals("portier.yaml:3: identity.keycloak.secret: unknown key; allowed keys: url, caFile, admin, realms,"
                + " leavers, portal, sshKeyTtl",
                problem(VALID.replace("    url:", "    secret: x\n    url:")));
    }

    @Test
    void sshKeyTtlDefaultsToAMinute() throws ConfigException {
        assertEquals(java.time.Duration.ofSeconds(60), parse(VALID).sshKeyTtl());
        assertEquals(java.time.Duration.ofSeconds(5), parse(VALID.replace("    url:", "    sshKeyTtl: 5s\n    url:"))
                .sshKeyTtl());
    }

    @Test
    void sshKeyTtlLongerThanTenMinutesIsRefused() {
        assertEquals("portier.yaml:3: identity.keycloak.sshKeyTtl: must be at most 10m: a key removed in Keycloak would"
                + " keep working that long", problem(VALID.replace("    url:", "    sshKeyTtl: 1h\n    url:")));
    }

    /** The commented example of portier.example.yaml stays valid: the test reads it uncommented. */
    @Test
    void exampleKeycloakSectionIsValid() throws ConfigException, IOException {
        List<String> out = new ArrayList<>();
        boolean inBlock = false;
        for (String line : Files.readAllLines(Path.of("../portier.example.yaml"))) {
            if (line.equals("  # keycloak:")) {
                inBlock = true;
            } else if (inBlock && !line.startsWith("  #   ")) {
                inBlock = false;
            }
            out.add(inBlock ? "  " + line.substring(4) : line);
        }
        KeycloakConfig kc = ConfigLoader.parse(String.join("\n", out) + "\n", "portier.example.yaml").identity()
                .keycloak().orElseThrow();
        assertEquals(List.of("employees", "partners"), kc.realms().stream().map(KeycloakConfig.Realm::name).toList());
        assertEquals(Path.of("/etc/portier/sso-ca.pem"), kc.caFile());
        assertEquals(Set.of(SshAuth.DEVICE), kc.realm("partners").orElseThrow().sshAuth());
        assertEquals(Duration.ofSeconds(20), kc.leavers().pollInterval());
        assertEquals(new KeycloakConfig.Portal(Duration.ofMinutes(30), Duration.ofHours(8)), kc.portal());
        assertEquals(java.time.Duration.ofSeconds(60), kc.sshKeyTtl());
    }

    @Test
    void leaverPollAndPortalTimeoutsHaveDefaults() throws ConfigException {
        KeycloakConfig kc = parse(VALID);
        assertEquals(KeycloakConfig.Leavers.DEFAULT, kc.leavers());
        assertEquals(KeycloakConfig.Portal.DEFAULT, kc.portal());
    }

    @Test
    void leaverPollAndPortalTimeoutsAreRead() throws ConfigException {
        KeycloakConfig kc = parse(VALID + "    leavers: { pollInterval: 2s }\n    portal: { idleTimeout: 10m, maxAge: 2h }\n");
        assertEquals(Duration.ofSeconds(2), kc.leavers().pollInterval());
        assertEquals(new KeycloakConfig.Portal(Duration.ofMinutes(10), Duration.ofHours(2)), kc.portal());
    }

    @Test
    void leaverPollLongerThanFiftySecondsIsRefused() {
        assertEquals("portier.yaml:10: identity.keycloak.leavers.pollInterval: must be at most 50s so leavers are cut"
                + " off within a minute, got 1m", problem(VALID + "    leavers: { pollInterval: 1m }\n"));
    }

    @Test
    void badPortalTimeoutsAreRefused() {
        assertEquals("portier.yaml:10: identity.keycloak.portal.idleTimeout: must be at least 5s, got 1s",
                problem(VALID + "    portal: { idleTimeout: 1s }\n"));
        assertEquals("portier.yaml:10: identity.keycloak.portal.maxAge: must be at most 1d, got 2d",
                problem(VALID + "    portal: { maxAge: 2d }\n"));
        assertEquals("portier.yaml:10: identity.keycloak.portal.maxAge: must not be shorter than idleTimeout (1h),"
                + " got 30m", problem(VALID + "    portal: { idleTimeout: 1h, maxAge: 30m }\n"));
        assertEquals("portier.yaml:10: identity.keycloak.portal.colour: unknown key; allowed keys: idleTimeout, maxAge",
                problem(VALID + "    portal: { colour: red }\n"));
    }

    @Test
    void publicUrlMustBeAnHttpsOrigin() throws ConfigException {
        String base = "server:\n  https: { listen: \"0.0.0.0:8443\", publicUrl: \"%s\" }\n";
        assertEquals("https://portier.example.net:8443", ConfigLoader.parse(base.formatted(
                "https://portier.example.net:8443/"), "portier.yaml").server().publicUrl().toString());
        assertTrue(problem(base.formatted("http://portier.example.net")).contains("is not an https URL"));
        assertTrue(problem(base.formatted("https://portier.example.net/portal?x=1"))
                .endsWith("must be the origin alone (https://host[:port]), without path, user, query or fragment"));
        assertEquals(null, ConfigLoader.parse("server:\n  https: { listen: \"0.0.0.0:8443\" }\n", "portier.yaml")
                .server().publicUrl());
    }
}
