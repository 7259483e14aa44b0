package dev.portier.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portier.gateway.api.ApiGateway.Reply;
import dev.portier.gateway.core.LiveSessions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time-boxed access over the REST API of a real gateway, with tokens from the real {@code ssh ... token}
 * command: request, approval, grants, refusals, sessions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {
    @TempDir
    static Path tmp;

    ApiGateway g;
    String alice;
    String bob;
    String carol;

    @BeforeAll
    void start() throws Exception {
        g = new ApiGateway(tmp);
        alice = g.token("alice");
        bob = g.token("bob");
        carol = g.token("carol");
    }

    @AfterAll
    void stop() {
        if (g != null) {
            g.close();
        }
    }

    private String fileRequest(String target, String token) {
        Reply r = g.post("/api/v1/requests", token, """
                {"target": "%s", "reason": "disk full on /var", "ticket": "INC-7", "duration": "1h"}
                """.formatted(target));
        assertEquals(201, r.status(), r.raw().body());
        return r.json().get("request").get("id").asText();
    }

    @Test
    void aliceRequestsBobApprovesAndTheGrantIsListed() {
        Reply created = g.post("/api/v1/requests", alice, """
                {"target": "srv-a", "account": "ops", "reason": "disk full on /var", "ticket": "INC-7",
                 "duration": "90m"}""");
        assertEquals(201, created.status(), created.raw().body());
        JsonNode req = created.json().get("request");
        String id = req.get("id").asText();
        assertEquals("pending", req.get("state").asText().toLowerCase());
        assertEquals("ops", req.get("account").asText());
        assertEquals("PT1H30M", req.get("duration").asText());
        assertEquals(List.of("bob"), names(created.json().get("approvers")));
        assertEquals("/api/v1/requests/" + id, created.raw().headers().firstValue("Location").orElse(""));
        assertTrue(created.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"));

        Reply pending = g.get("/api/v1/requests?pending=true", bob);
        assertEquals(200, pending.status());
        assertTrue(ids(pending.json().get("requests")).contains(id), pending.raw().body());

        Reply approved = g.post("/api/v1/requests/" + id + "/approve", bob, "{\"comment\": \"go ahead\"}");
        assertEquals(200, approved.status(), approved.raw().body());
        assertEquals("APPROVED", approved.json().get("state").asText());

        Reply grants = g.get("/api/v1/grants", alice);
        assertEquals(200, grants.status());
        JsonNode grant = find(grants.json().get("grants"), "requestId", id);
        assertEquals("srv-a", grant.get("target").asText());
        assertEquals("ACTIVE", grant.get("state").asText());
        assertEquals(List.of("bob"), names(grant.get("approvers")));
        Instant.parse(grant.get("end").asText());
        assertTrue(g.auditLog().contains("\"request.approval\""), "the approval is audited by the core");
    }

    @Test
    void selfApprovalIsRefusedWith403() {
        String id = fileRequest("srv-b", alice);
        Reply r = g.post("/api/v1/requests/" + id + "/approve", alice, null);
        assertEquals(403, r.status(), r.raw().body());
        assertEquals("sod", r.error());
        assertTrue(r.json().get("message").asText().contains("no-self-approval"), r.raw().body());
        Reply deny = g.post("/api/v1/requests/" + id + "/deny", bob, "{\"comment\": \"not now\"}");
        assertEquals(200, deny.status(), deny.raw().body());
        assertEquals("DENIED", deny.json().get("state").asText());
        Reply again = g.post("/api/v1/requests/" + id + "/approve", bob, "{}");
        assertEquals(409, again.status());
        assertEquals("not-pending", again.error());
    }

    @Test
    void denialWithoutCommentIsBadInput() {
        String id = fileRequest("srv-c", alice);
        Reply r = g.post("/api/v1/requests/" + id + "/deny", bob, "{}");
        assertEquals(400, r.status());
        assertEquals("missing-field", r.error());
        Reply other = g.post("/api/v1/requests/" + id + "/cancel", bob, null);
        assertEquals(403, other.status(), "only the requester cancels: " + other.raw().body());
        Reply cancel = g.post("/api/v1/requests/" + id + "/cancel", alice, null);
        assertEquals(200, cancel.status(), cancel.raw().body());
        assertEquals("CANCELLED", cancel.json().get("state").asText());
    }

    @Test
    void revocationThroughTheApiEndsTheGrant() {
        String id = fileRequest("srv-d", alice);
        assertEquals(200, g.post("/api/v1/requests/" + id + "/approve", bob, null).status());
        String grant = find(g.get("/api/v1/grants", bob).json().get("grants"), "requestId", id).get("id").asText();
        Reply r = g.post("/api/v1/grants/" + grant + "/revoke", bob, "{\"reason\": \"incident closed\"}");
        assertEquals(200, r.status(), r.raw().body());
        assertEquals("REVOKED", r.json().get("state").asText());
        assertFalse(ids(g.get("/api/v1/grants", alice).json().get("grants")).contains(grant), "active grants only");
        assertTrue(ids(g.get("/api/v1/grants?all=true", alice).json().get("grants")).contains(grant));
        assertEquals(409, g.post("/api/v1/grants/" + grant + "/revoke", bob, null).status());
    }

    @Test
    void requestsOfOthersAreNotFound() {
        String id = fileRequest("srv-a", alice);
        assertEquals(200, g.get("/api/v1/requests/" + id, alice).status());
        Reply erin = g.get("/api/v1/requests/" + id, g.token("erin"));
        assertEquals(404, erin.status());
        assertEquals("unknown-request", erin.error());
        assertEquals(404, g.get("/api/v1/requests/r-0123456789", alice).status());
        assertEquals(200, g.post("/api/v1/requests/" + id + "/cancel", alice, "{}").status());
    }

    @Test
    void refusalsOfTheCoreKeepTheirCodes() {
        Reply unknown = g.post("/api/v1/requests", alice, "{\"target\": \"nowhere\", \"reason\": \"x\"}");
        assertEquals(404, unknown.status());
        assertEquals("unknown-target", unknown.error());
        String srvA = "{\"target\": \"srv-a\", \"reason\": \"x\", ";
        Reply tooLong = g.post("/api/v1/requests", alice, srvA + "\"duration\": \"5h\"}");
        assertEquals(403, tooLong.status());
        assertEquals("duration-too-long", tooLong.error());
        Reply noReason = g.post("/api/v1/requests", alice, "{\"target\": \"srv-a\"}");
        assertEquals(400, noReason.status());
        Reply badDuration = g.post("/api/v1/requests", alice, srvA + "\"duration\": \"soon\"}");
        assertEquals(400, badDuration.status());
        assertEquals("bad-duration", badDuration.error());
        Reply badStart = g.post("/api/v1/requests", alice, srvA + "\"start\": \"tomorrow\"}");
        assertEquals(400, badStart.status());
        assertEquals("bad-start", badStart.error());
    }

    @Test
    void sessionsFollowTheSshVisibilityRuleAndCanBeKilled() {
        LiveSessions live = g.gateway.context().sessions();
        List<String> ended = new ArrayList<>();
        live.add(new LiveSessions.LiveSession("s-aaa111/0", "s-aaa111", "alice", "srv-a", "admin", Instant.now(), null,
                null, line -> { }, ended::add));
        live.add(new LiveSessions.LiveSession("s-bbb222/0", "s-bbb222", "erin", "srv-a", "admin", Instant.now(), null,
                null, line -> { }, ended::add));
        try {
            assertEquals(List.of("s-aaa111"), sessionIds(g.get("/api/v1/sessions", alice)));
            assertEquals(List.of("s-aaa111", "s-bbb222"), sessionIds(g.get("/api/v1/sessions", carol)));
            Reply notHers = g.post("/api/v1/sessions/s-bbb222/kill", alice, null);
            assertEquals(404, notHers.status());
            assertTrue(ended.isEmpty());
            Reply kill = g.post("/api/v1/sessions/s-bbb222/kill", bob, null);
            assertEquals(200, kill.status(), kill.raw().body());
            assertEquals(1, kill.json().get("ended").asInt());
            assertEquals(List.of("the session was ended by bob"), ended);
            assertTrue(g.auditLog().contains("\"session.kill\""));
        } finally {
            live.remove("s-aaa111/0");
            live.remove("s-bbb222/0");
        }
    }

    @Test
    void unknownPathsAndMethodsAreRefused() {
        assertEquals(404, g.get("/api/v1/nothing", alice).status());
        assertEquals(404, g.get("/api/v1/requests/", alice).status());
        assertEquals(404, g.get("/elsewhere", alice).status());
        Reply wrongMethod = g.post("/api/v1/grants", alice, "{}");
        assertEquals(405, wrongMethod.status());
        assertEquals("GET", wrongMethod.raw().headers().firstValue("Allow").orElse(""));
        Reply delete = g.send(ApiGateway.authorized(java.net.http.HttpRequest.newBuilder(g.uri("/api/v1/requests"))
                .DELETE(), alice));
        assertEquals(405, delete.status());
        assertEquals("GET, POST", delete.raw().headers().firstValue("Allow").orElse(""));
        Reply badId = g.get("/api/v1/requests/..%2Fsecret", alice);
        assertEquals(400, badId.status());
        assertEquals("bad-id", badId.error());
        Reply badQuery = g.get("/api/v1/requests?pending=yes", alice);
        assertEquals(400, badQuery.status());
        Reply unknownQuery = g.get("/api/v1/grants?everything=true", alice);
        assertEquals(400, unknownQuery.status());
        assertEquals("unknown-parameter", unknownQuery.error());
    }

    @Test
    void answersCarrySecurityHeadersAndNoToken() {
        Reply r = g.get("/api/v1/grants?all=true", alice);
        assertEquals("no-store", r.raw().headers().firstValue("Cache-Control").orElse(""));
        assertEquals("nosniff", r.raw().headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(r.raw().headers().firstValue("Strict-Transport-Security").isPresent());
        assertFalse(g.auditLog().contains(alice), "the audit log never holds a token");
        assertTrue(g.auditLog().contains("\"token.issued\""));
    }

    @Test
    void tokenCommandPrintsOnlyTheTokenAndBoundsItsLifetime() throws Exception {
        var plain = g.ssh("alice").ssh("token", "--ttl", "5m");
        assertEquals(0, plain.exit(), plain.stderr());
        assertTrue(plain.stdout().matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\n"), plain.stdout());
        assertEquals("", plain.stderr());
        var json = g.ssh("alice").ssh("token", "--json");
        assertEquals(0, json.exit(), json.stderr());
        JsonNode n = ApiGateway.JSON.readTree(json.stdout());
        assertEquals(200, g.get("/api/v1/grants", n.get("token").asText()).status());
        long minutes = java.time.Duration.between(Instant.now(), Instant.parse(n.get("expires").asText())).toMinutes();
        assertTrue(minutes >= 14 && minutes <= 15, "default lifetime 15 minutes: " + minutes);
        assertTrue(g.auditLog().contains(n.get("tokenId").asText()), "audited by its id");
        var tooLong = g.ssh("alice").ssh("token", "--ttl", "2h");
        assertEquals(2, tooLong.exit());
        assertTrue(tooLong.stderr().contains("between 1m and 1h"), tooLong.stderr());
        assertEquals("", tooLong.stdout());
        assertEquals(2, g.ssh("alice").ssh("token", "--ttl", "soon").exit());
        assertEquals(2, g.ssh("alice").ssh("token", "--forever").exit());
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> ids(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    private static List<String> sessionIds(Reply r) {
        assertEquals(200, r.status(), r.raw().body());
        List<String> out = new ArrayList<>();
        r.json().get("sessions").forEach(n -> out.add(n.get("sessionId").asText()));
        return out;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.get(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + "=" + value + " in " + array);
    }
}
