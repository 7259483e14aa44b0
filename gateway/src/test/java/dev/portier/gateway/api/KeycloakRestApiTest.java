package dev.portier.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.portier.config.ConfigLoader;
import dev.portier.gateway.Gateway;
import dev.portier.gateway.api.ApiGateway.Reply;
import dev.portier.gateway.http.SelfSignedCertificate;
import dev.portier.gateway.keycloak.TestRealms;
import dev.portier.testsupport.FreePort;
import dev.portier.testsupport.Keys;
import dev.portier.testsupport.keycloak.Keycloak;
import dev.portier.vault.Credential;
import dev.portier.vault.Vault;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API with bearer tokens from the real Keycloak: each person gets a token as a client would (password plus
 * TOTP), and Portier acts as the identity Keycloak describes; every forgery gets 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakRestApiTest {
    @TempDir
    static Path tmp;
    private final Keycloak kc = Keycloak.shared();
    private Gateway gateway;
    private HttpClient http;
    private Path data;
    private String aliceToken;

    @BeforeAll
    void start() throws Exception {
        data = tmp.resolve("data");
        Path alice = Keys.ed25519(tmp.resolve("keys"), "alice");
        String hostKey = Keys.publicKeyLine(Keys.ed25519(tmp.resolve("keys"), "unused-target-host"));
        // The service accounts' secrets go where an operator puts them: ./portier vault put ... --password-stdin
        Vault vault = Vault.open(data);
        vault.put("keycloak", "employees-admin", new Credential.Password(TestRealms.EMPLOYEES_ADMIN_SECRET));
        vault.put("keycloak", "partners-admin", new Credential.Password(TestRealms.PARTNERS_ADMIN_SECRET));
        int ssh = FreePort.find();
        int https = FreePort.find();
        String yaml = """
                server:
                  dataDir: %s
                  ssh: { listen: "127.0.0.1:%d" }
                  https: { listen: "127.0.0.1:%d" }
                identity:
                  local:
                    users:
                      - { name: alice, teams: [netops], roles: [operator], sshKeys: ["%s"] }
                  keycloak:
                    url: "%s"
                    admin: { realm: employees, clientId: portier-admin, clientSecret: "vault:keycloak/employees-admin" }
                    realms:
                      - { name: employees, clientId: portier, sshAuth: [publickey, device] }
                      - name: partners
                        clientId: portier
                        admin: { clientId: portier-admin, clientSecret: "vault:keycloak/partners-admin" }
                targets:
                  - { name: lab-acme, address: "127.0.0.1:1", hostKey: "%s", classification: internal,
                      labels: { kind: lab, contract: acme }, accounts: [admin] }
                  - { name: lab-globex, address: "127.0.0.1:1", hostKey: "%s", classification: internal,
                      labels: { kind: lab, contract: globex }, accounts: [admin] }
                policies:
                  - name: lab
                    subjects: { teams: [netops, acme] }
                    targets: { labels: { kind: lab } }
                    channels: [shell, exec]
                    approval: { required: true, approvers: [{ teams: [security] }], count: 1, maxDuration: 2h }
                """.formatted(data, ssh, https, Keys.publicKeyLine(alice), kc.url(), hostKey, hostKey);
        gateway = Gateway.start(ConfigLoader.parse(yaml, "keycloak-api-test.yaml"));
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(data.resolve("tls").resolve(SelfSignedCertificate.CERT_FILE))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        http = HttpClient.newBuilder().sslContext(ApiGateway.trusting(cert)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        var r = dev.portier.testsupport.OpenSshClient.to("127.0.0.1", ssh, "alice", alice).ssh("token");
        assertEquals(0, r.exit(), r.stderr());
        aliceToken = r.stdout().strip();
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private Reply send(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.httpsPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(ApiGateway.authorized(b, token).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? ApiGateway.JSON.nullNode() : ApiGateway.JSON.readTree(r.body());
        return new Reply(r.statusCode(), body, r);
    }

    private Reply request(String token, String target) throws Exception {
        return send("POST", "/api/v1/requests", token, """
                {"target": "%s", "reason": "link flapping", "duration": "1h"}
                """.formatted(target));
    }

    private String auditLog() throws Exception {
        return Files.readString(data.resolve("audit").resolve("audit.jsonl"));
    }

    @Test
    void employeeTokenActsAsTheKeycloakUser() throws Exception {
        String token = TestRealms.KATE.login(kc, TestRealms.CLIENT).accessToken();
        Reply r = request(token, "lab-acme");
        assertEquals(201, r.status(), r.raw().body());
        assertEquals("kate", r.json().path("request").path("requester").asText(), r.raw().body());
        Reply mine = send("GET", "/api/v1/requests", token, null);
        assertEquals(200, mine.status(), mine.raw().body());
        assertTrue(mine.raw().body().contains(r.json().path("request").path("id").asText()));
    }

    @Test
    void keycloakApproverApprovesThroughTheApi() throws Exception {
        String kate = TestRealms.KATE.login(kc, TestRealms.CLIENT).accessToken();
        String id = request(kate, "lab-acme").json().path("request").path("id").asText();
        // sam is in group security (team) and holds the realm role approver.
        String sam = TestRealms.SAM.login(kc, TestRealms.CLIENT).accessToken();
        Reply approved = send("POST", "/api/v1/requests/" + id + "/approve", sam, "{\"comment\": \"ok\"}");
        assertEquals(200, approved.status(), approved.raw().body());
    }

    @Test
    void userWithoutAMatchingTeamIsRefusedByPolicy() throws Exception {
        String carl = TestRealms.CARL.login(kc, TestRealms.CLIENT).accessToken();
        Reply r = request(carl, "lab-acme");
        assertEquals(403, r.status(), r.raw().body());
    }

    @Test
    void partnerWithTheSameNameIsQualifiedByRealm() throws Exception {
        String token = TestRealms.KATE_PARTNER.login(kc, TestRealms.CLIENT).accessToken();
        Reply r = request(token, "lab-acme");
        assertEquals(201, r.status(), r.raw().body());
        assertEquals("kate@partners", r.json().path("request").path("requester").asText(), r.raw().body());
    }

    @Test
    void partnerOutsideTheirContractIsRefused() throws Exception {
        String pete = TestRealms.PETE.login(kc, TestRealms.CLIENT).accessToken();
        Reply r = request(pete, "lab-globex");
        assertEquals(403, r.status(), r.raw().body());
        assertEquals("sod", r.error(), r.raw().body());
    }

    @Test
    void localUserTokensStillWork() throws Exception {
        Reply r = send("GET", "/api/v1/requests", aliceToken, null);
        assertEquals(200, r.status(), r.raw().body());
    }

    @Test
    void tokenSignedWithAForgedKeyIsRefused() throws Exception {
        SignedJWT real = SignedJWT.parse(TestRealms.CARL.login(kc, TestRealms.CLIENT).accessToken());
        RSAKey forger = new RSAKeyGenerator(2048).keyID(real.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(real.getHeader().getType())
                .keyID(forger.getKeyID()).build(), real.getJWTClaimsSet());
        forged.sign(new RSASSASigner(forger));
        assertInvalid(forged.serialize());
    }

    @Test
    void algNoneIsRefused() throws Exception {
        String[] parts = TestRealms.CARL.login(kc, TestRealms.CLIENT).accessToken().split("\\.");
        String none = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + parts[1] + ".";
        assertInvalid(none);
    }

    @Test
    void tokenForAnotherClientIsRefused() throws Exception {
        assertInvalid(TestRealms.CARL.login(kc, TestRealms.OTHER_CLIENT).accessToken());
    }

    @Test
    void tokenOfAnotherClientNamingPortierAsAudienceIsRefused() throws Exception {
        String token = TestRealms.CARL.login(kc, TestRealms.AUDIENCE_CLIENT).accessToken();
        assertTrue(SignedJWT.parse(token).getJWTClaimsSet().getAudience().contains("portier"));
        assertInvalid(token);
    }

    @Test
    void tokenOfAnUntrustedRealmIsRefused() throws Exception {
        assertInvalid(kc.tokens().adminToken());
        assertTrue(auditLog().contains("which is not a trusted realm"));
    }

    @Test
    void partnersTokenPassedOffAsEmployeesIsRefused() throws Exception {
        String[] parts = TestRealms.PETE.login(kc, TestRealms.CLIENT).accessToken().split("\\.");
        String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace("/realms/partners\"", "/realms/employees\"");
        assertFalse(payload.contains("/realms/partners\""));
        assertInvalid(parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
    }

    @Test
    void expiredTokenIsRefusedAsExpired() throws Exception {
        String token = shortLivedToken(TestRealms.CARL);
        assertEquals(200, send("GET", "/api/v1/requests", token, null).status(), "valid while fresh");
        long exp = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().getTime();
        Thread.sleep(Math.max(0, exp - System.currentTimeMillis()) + 11_000);
        Reply r = send("GET", "/api/v1/requests", token, null);
        assertEquals(401, r.status(), r.raw().body());
        assertEquals("expired-token", r.error());
    }

    /** A genuine token that lives 2 s: the realm's portier client is shortened through the admin API meanwhile. */
    private String shortLivedToken(TestRealms.User user) throws Exception {
        String clients = "/admin/realms/" + user.realm() + "/clients";
        var found = kc.tokens().admin("GET", clients + "?clientId=" + TestRealms.CLIENT, null);
        assertTrue(found.ok(), found.error());
        JsonNode client = found.json().get(0);
        String original = client.toString();
        ((com.fasterxml.jackson.databind.node.ObjectNode) client.get("attributes")).put("access.token.lifespan", "2");
        String path = clients + "/" + client.get("id").asText();
        assertEquals(204, kc.tokens().admin("PUT", path, client.toString()).status());
        try {
            return user.login(kc, TestRealms.CLIENT).accessToken();
        } finally {
            assertEquals(204, kc.tokens().admin("PUT", path, original).status());
        }
    }

    private void assertInvalid(String token) throws Exception {
        Reply r = send("GET", "/api/v1/requests", token, null);
        assertEquals(401, r.status(), r.raw().body());
        assertEquals("invalid-token", r.error(), r.raw().body());
        assertTrue(r.raw().headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
    }
}
