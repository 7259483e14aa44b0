package dev.portier.gateway.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.gateway.core.LiveSessions;
import dev.portier.gateway.portal.KeycloakGateway;
import dev.portier.testsupport.Keys;
import dev.portier.testsupport.keycloak.Keycloak;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leavers against the real Keycloak: people created for the test get grants, requests and approvals through the REST
 * API with their own Keycloak tokens, a portal session through the code flow, and a live session; then an
 * administrator disables, deletes or moves them in Keycloak, and within 60 s Portier has withdrawn what they held,
 * with the cause in the audit log. The poll interval is 2 s here, so the bound is checked without long waits.
 *
 * <p>The live SSH sessions are registered in the gateway's {@link LiveSessions} as the SSH front does it (Keycloak
 * users cannot open SSH sessions until SSH login for them lands); ending them goes through the same listener.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakLeaversTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String PASSWORD = "leaver-test-pw";
    @TempDir
    static Path tmp;
    private KeycloakGateway g;
    private Keycloak kc;
    private HttpClient http;

    @BeforeAll
    void start() throws Exception {
        kc = Keycloak.shared();
        // Created before the gateway starts, so its list of possible approvers already holds lena.
        createUser("lena", List.of("/netops", "/security"));
        createUser("dora", List.of("/netops"));
        createUser("gus", List.of("/netops"));
        grantRealmRole("gus", "operator");
        String hostKey = Keys.publicKeyLine(Keys.ed25519(tmp.resolve("keys"), "unused-target-host"));
        StringBuilder targets = new StringBuilder("targets:\n");
        for (String[] t : new String[][] {{"lab-1", "lab"}, {"lab-2", "lab"}, {"lab-3", "lab"}, {"lab-4", "lab"},
                {"core-1", "core"}, {"ops-1", "ops"}}) {
            targets.append("  - { name: ").append(t[0]).append(", address: \"127.0.0.1:1\", hostKey: \"").append(hostKey)
                    .append("\", classification: internal, labels: { kind: ").append(t[1]).append(" }, accounts: [admin] }\n");
        }
        g = new KeycloakGateway(tmp, "    leavers: { pollInterval: 2s }", targets + """
                policies:
                  - name: lab
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: lab } }
                    channels: [shell]
                    approval: { required: true, approvers: [{ teams: [security] }], count: 1, maxDuration: 2h }
                  - name: core
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: core } }
                    channels: [shell]
                    approval: { required: true, approvers: [{ teams: [security] }], count: 2, maxDuration: 2h }
                  - name: ops
                    subjects: { roles: [operator] }
                    targets: { labels: { kind: ops } }
                    channels: [shell]
                    approval: { required: true, approvers: [{ teams: [security] }], count: 1, maxDuration: 2h }
                """);
        http = HttpClient.newBuilder().sslContext(KeycloakGateway.trusting(g.certificate))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    void stop() {
        if (g != null) {
            g.close();
        }
    }

    @Test
    void disabledUserLosesSessionsGrantsRequestsAndApprovalsWithinAMinute() throws Exception {
        String lena = token("lena");
        String grant = grantFor("lena", lena, "lab-1");
        String pending = request(lena, "lab-2");
        // kate's request to a core target needs two approvals: lena's stays pending with it.
        String kate = TestRealms.KATE.login(kc, TestRealms.CLIENT).accessToken();
        String kates = request(kate, "core-1");
        assertEquals(200, api("POST", "/api/v1/requests/" + kates + "/approve", lena, "{}").statusCode());
        assertEquals(1, approvals(kate, kates));
        CompletableFuture<String> ssh = liveSession("lena", grant);
        String portal = g.client.session(new TestRealms.User("employees", "lena", PASSWORD, null));
        assertEquals(200, g.client.withSession("GET", "/portal/", portal, null).statusCode());

        Instant disabled = Instant.now();
        setEnabled("lena", false);

        within(disabled, () -> ssh.isDone() && g.auditLog().contains("disabled in Keycloak realm employees"));
        assertTrue(ssh.get().contains("disabled in Keycloak realm employees"), ssh.get());
        String audit = g.auditLog();
        assertTrue(audit.contains("\"type\":\"identity.removed\""), audit);
        assertTrue(line(audit, "\"type\":\"grant.revoked\"", grant).contains("user left: disabled in Keycloak realm"
                + " employees"));
        assertTrue(line(audit, "\"type\":\"request.cancelled\"", pending).contains("requester left: disabled"));
        assertTrue(line(audit, "\"type\":\"identity.removed\"", "lena").contains("\"approvalsWithdrawn\":1"));
        assertEquals(0, approvals(kate, kates), "lena's approval of kate's request is gone");
        assertTrue(line(audit, "\"type\":\"portal.session.ended\"", "lena").contains("disabled in Keycloak"));
        // The leaver's cookie and token open nothing any more.
        assertEquals(401, g.client.withSession("GET", "/portal/", portal, null).statusCode());
        assertEquals(401, g.client.withSession("GET", "/api/v1/requests", portal, null).statusCode());
        assertEquals(401, api("GET", "/api/v1/requests", lena, null).statusCode());
    }

    @Test
    void deletedUserLosesGrantsWithinAMinute() throws Exception {
        String dora = token("dora");
        String grant = grantFor("dora", dora, "lab-3");
        CompletableFuture<String> ssh = liveSession("dora", grant);
        Instant deleted = Instant.now();
        assertEquals(204, kc.tokens().admin("DELETE", "/admin/realms/employees/users/" + userId("dora"), null).status());

        within(deleted, () -> ssh.isDone() && g.auditLog().contains("deleted in Keycloak realm employees"));
        assertTrue(line(g.auditLog(), "\"type\":\"grant.revoked\"", grant).contains("user left: deleted in Keycloak"));
        assertEquals(401, api("GET", "/api/v1/requests", dora, null).statusCode());
    }

    @Test
    void userRemovedFromAGroupLosesOnlyTheGrantThatReliedOnIt() throws Exception {
        String gus = token("gus");
        String lab = grantFor("gus", gus, "lab-4");
        String ops = grantFor("gus", gus, "ops-1");
        CompletableFuture<String> labSession = liveSession("gus", lab);
        CompletableFuture<String> opsSession = liveSession("gus", ops);
        String netops = group("netops");
        Instant removed = Instant.now();
        assertEquals(204, kc.tokens().admin("DELETE", "/admin/realms/employees/users/" + userId("gus") + "/groups/"
                + netops, null).status());

        String cause = "removed from group netops in Keycloak realm employees, which grant " + lab + " relied on";
        within(removed, () -> labSession.isDone() && g.auditLog().contains(cause));
        assertTrue(line(g.auditLog(), "\"type\":\"grant.revoked\"", lab).contains(cause));
        assertFalse(opsSession.isDone(), "the session under the role-based grant goes on");
        JsonNode grants = JSON.readTree(api("GET", "/api/v1/grants", token("gus"), null).body()).path("grants");
        assertEquals(1, grants.size(), grants.toString());
        assertEquals(ops, grants.get(0).path("id").asText());
        assertEquals("", line(g.auditLog(), "\"type\":\"identity.removed\"", "\"user\":\"gus\""), "gus did not leave");
    }

    /** Polls {@code done} (no fixed wait) and asserts it held within {@link #BOUND} of {@code since}. */
    private static void within(Instant since, CheckedCondition done) throws Exception {
        while (!done.met()) {
            if (Duration.between(since, Instant.now()).compareTo(BOUND) > 0) {
                fail("not done within " + BOUND.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
        Duration took = Duration.between(since, Instant.now());
        assertTrue(took.compareTo(BOUND) < 0, "took " + took);
    }

    @FunctionalInterface
    private interface CheckedCondition {
        boolean met() throws Exception;
    }

    /** A live session of {@code user} under {@code grant}, as the SSH front registers one; completes when ended. */
    private CompletableFuture<String> liveSession(String user, String grant) {
        CompletableFuture<String> ended = new CompletableFuture<>();
        String id = "test-" + user + "-" + grant;
        LiveSessions live = g.gateway.context().sessions();
        live.add(new LiveSessions.LiveSession(id, id, user, "lab", "admin", Instant.now(), grant, null, line -> {
        }, message -> {
            live.remove(id);
            ended.complete(message);
        }));
        return ended;
    }

    /** The user requests {@code target}; sam (security, approver) approves; the grant's id. */
    private String grantFor(String user, String token, String target) throws Exception {
        String id = request(token, target);
        String sam = TestRealms.SAM.login(kc, TestRealms.CLIENT).accessToken();
        HttpResponse<String> approved = api("POST", "/api/v1/requests/" + id + "/approve", sam, "{}");
        assertEquals(200, approved.statusCode(), approved.body());
        for (JsonNode gr : JSON.readTree(api("GET", "/api/v1/grants", token, null).body()).path("grants")) {
            if (gr.path("requestId").asText().equals(id)) {
                assertEquals(user, gr.path("user").asText());
                return gr.path("id").asText();
            }
        }
        throw new AssertionError("no grant for " + id);
    }

    private String request(String token, String target) throws Exception {
        HttpResponse<String> r = api("POST", "/api/v1/requests", token,
                "{\"target\": \"" + target + "\", \"reason\": \"maintenance\", \"duration\": \"1h\"}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("request").path("id").asText();
    }

    private int approvals(String token, String requestId) throws Exception {
        HttpResponse<String> r = api("GET", "/api/v1/requests/" + requestId, token, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("approvals").size();
    }

    private HttpResponse<String> api(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + g.httpsPort + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(String user) {
        return kc.tokens().password("employees", TestRealms.CLIENT, user, PASSWORD, null).accessToken();
    }

    /** The audit line of {@code type} that mentions {@code about}; empty when there is none. */
    private static String line(String audit, String type, String about) {
        return audit.lines().filter(l -> l.contains(type) && l.contains(about)).findFirst().orElse("");
    }

    private void createUser(String name, List<String> groups) throws Exception {
        String json = JSON.writeValueAsString(java.util.Map.of("username", name, "enabled", true, "email",
                name + "@example.net", "emailVerified", true, "firstName", name, "lastName", "Leaver", "groups", groups,
                "credentials", List.of(java.util.Map.of("type", "password", "value", PASSWORD, "temporary", false))));
        var r = kc.tokens().admin("POST", "/admin/realms/employees/users", json);
        assertEquals(201, r.status(), r.error());
    }

    private void grantRealmRole(String user, String role) throws Exception {
        JsonNode rep = kc.tokens().admin("GET", "/admin/realms/employees/roles/" + role, null).json();
        assertEquals(204, kc.tokens().admin("POST", "/admin/realms/employees/users/" + userId(user)
                + "/role-mappings/realm", "[" + rep + "]").status());
    }

    private void setEnabled(String user, boolean enabled) {
        assertEquals(204, kc.tokens().admin("PUT", "/admin/realms/employees/users/" + userId(user),
                "{\"enabled\": " + enabled + "}").status());
    }

    private String userId(String user) {
        return kc.tokens().admin("GET", "/admin/realms/employees/users?exact=true&username=" + user, null).json()
                .get(0).path("id").asText();
    }

    private String group(String name) {
        for (JsonNode gr : kc.tokens().admin("GET", "/admin/realms/employees/groups?search=" + name, null).json()) {
            if (gr.path("name").asText().equals(name)) {
                return gr.path("id").asText();
            }
        }
        throw new AssertionError("no group " + name);
    }
}
