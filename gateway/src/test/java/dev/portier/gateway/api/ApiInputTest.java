package dev.portier.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.gateway.api.ApiGateway.Reply;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the REST API gets a clear 4xx in Portier's error shape and changes nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiInputTest {
    private static final String REQUESTS = "/api/v1/requests";

    @TempDir
    static Path tmp;

    ApiGateway g;
    String alice;

    @BeforeAll
    void start() throws Exception {
        g = new ApiGateway(tmp);
        alice = g.token("alice");
    }

    @AfterAll
    void stop() {
        if (g != null) {
            g.close();
        }
    }

    private void assertBad(int status, String error, Reply r) {
        assertEquals(status, r.status(), r.raw().body());
        assertEquals(error, r.error(), r.raw().body());
        assertTrue(r.json().get("message").asText().length() > 5);
        assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void oversizeBodyGets413AndTheConnectionStaysUsable() {
        String huge = "{\"target\": \"srv-a\", \"reason\": \"" + "x".repeat(70 * 1024) + "\"}";
        assertBad(413, "too-large", g.post(REQUESTS, alice, huge));
        assertEquals(200, g.get(REQUESTS, alice).status());
    }

    @Test
    void malformedJsonGets400() {
        assertBad(400, "bad-json", g.post(REQUESTS, alice, "{\"target\": \"srv-a\", "));
        assertBad(400, "bad-json", g.post(REQUESTS, alice, "not json"));
        assertBad(400, "bad-json", g.post(REQUESTS, alice, "null"));
        assertBad(400, "bad-json", g.post(REQUESTS, alice, "{\"target\": \"srv-a\"} {}"));
        assertBad(400, "bad-json", g.post(REQUESTS, alice, "[{\"target\": \"srv-a\"}]"));
    }

    @Test
    void unknownFieldGets400() {
        Reply r = g.post(REQUESTS, alice, "{\"target\": \"srv-a\", \"reason\": \"x\", \"approved\": true}");
        assertBad(400, "unknown-field", r);
        assertTrue(r.json().get("message").asText().contains("approved"), r.raw().body());
        assertBad(400, "unknown-field", g.post("/api/v1/requests/r-0a/cancel", alice, "{\"force\": true}"));
    }

    @Test
    void wrongTypesGet400() {
        assertBad(400, "bad-field", g.post(REQUESTS, alice, "{\"target\": 42, \"reason\": \"x\"}"));
        String srvA = "{\"target\": \"srv-a\", \"reason\": \"x\", ";
        assertBad(400, "bad-field", g.post(REQUESTS, alice, srvA + "\"breakGlass\": \"true\"}"));
        assertBad(400, "bad-field", g.post(REQUESTS, alice, srvA + "\"breakGlass\": 1}"));
        assertBad(400, "bad-field", g.post(REQUESTS, alice, "{\"target\": [\"srv-a\"], \"reason\": \"x\"}"));

        assertBad(400, "bad-field", g.post(REQUESTS, alice, "{\"target\": \"srv-a\", \"reason\": {\"a\": 1}}"));
    }

    @Test
    void duplicateKeysGet400() {
        assertBad(400, "bad-json", g.post(REQUESTS, alice,
                "{\"target\": \"srv-a\", \"target\": \"srv-b\", \"reason\": \"x\"}"));
    }

    @Test
    void nonJsonBodyGets415() {
        Reply r = g.send(ApiGateway.authorized(HttpRequest.newBuilder(g.uri(REQUESTS))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("target=srv-a&reason=x")), alice));
        assertBad(415, "unsupported-media-type", r);
        Reply latin1 = g.send(ApiGateway.authorized(HttpRequest.newBuilder(g.uri(REQUESTS))
                .header("Content-Type", "application/json; charset=iso-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), alice));
        assertBad(415, "unsupported-media-type", latin1);
    }

    @Test
    void controlCharactersAndOverlongTextGet400() {
        assertBad(400, "bad-field", g.post("/api/v1/requests/r-0a/deny", alice, "{\"comment\": \"a\\u001b[2Jb\"}"));
        assertBad(400, "bad-field", g.post("/api/v1/requests/r-0a/deny", alice,
                "{\"comment\": \"" + "y".repeat(501) + "\"}"));
        assertBad(400, "bad-field", g.post(REQUESTS, alice, "{\"target\": \"srv a\", \"reason\": \"x\"}"));
    }

    @Test
    void getWithBodyGets400() {
        Reply r = g.send(ApiGateway.authorized(HttpRequest.newBuilder(g.uri(REQUESTS))
                .header("Content-Type", "application/json")
                .method("GET", HttpRequest.BodyPublishers.ofString("{}")), alice));
        assertBad(400, "unexpected-body", r);
    }

    @Test
    void badInputFilesNoRequest() {
        g.post(REQUESTS, alice, "{\"target\": \"srv-a\", \"reason\": \"x\", \"extra\": 1}");
        g.post(REQUESTS, alice, "{\"target\": 1, \"reason\": \"x\"}");
        assertEquals(0, g.get(REQUESTS, alice).json().get("requests").size());
        assertFalse(g.auditLog().contains("\"request.created\""));
    }
}
