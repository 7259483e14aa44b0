package dev.portier.gateway.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.portier.config.KeycloakConfig;
import dev.portier.config.SecretRef;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device grant's polling rules against a scripted token endpoint: the announced interval, {@code slow_down}
 * adding 5 s, expiry enforced by Portier itself, denial, cancellation, and a device answer that would put escape
 * sequences on the person's terminal.
 */
class DeviceAuthorizationTest {
    private HttpServer server;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Queue<String> tokenAnswers = new ConcurrentLinkedQueue<>();
    private final List<Long> polls = new CopyOnWriteArrayList<>();
    private volatile String deviceAnswer;
    private volatile String challenge;
    private final List<Boolean> verifiers = new CopyOnWriteArrayList<>();
    private DeviceAuthorization device;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realms/employees/protocol/openid-connect/auth/device", x -> {
            String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("code_challenge=([A-Za-z0-9_-]{43})").matcher(form);
            challenge = m.find() && form.contains("code_challenge_method=S256") ? m.group(1) : null;
            reply(x, 200, deviceAnswer);
        });
        server.createContext("/realms/employees/protocol/openid-connect/token", x -> {
            String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(form.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"), form);
            assertTrue(form.contains("device_code=dc-secret") && form.contains("client_id=portier"), form);
            Matcher verifier = Pattern.compile("code_verifier=([A-Za-z0-9_-]{43,128})").matcher(form);
            verifiers.add(verifier.find() && DeviceAuthorization.challenge(verifier.group(1)).equals(challenge));
            polls.add(System.nanoTime());
            String answer = tokenAnswers.size() > 1 ? tokenAnswers.poll() : tokenAnswers.peek();
            reply(x, answer.contains("access_token") ? 200 : 400, answer);
        });
        server.start();
        KeycloakConfig.Admin admin = new KeycloakConfig.Admin("master", "a", new SecretRef(SecretRef.Kind.ENV, "X"));
        KeycloakConfig config = new KeycloakConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null,
                admin, List.of(new KeycloakConfig.Realm("employees", "portier", Set.of(KeycloakConfig.SshAuth.DEVICE),
                        List.of("RS256"), admin)));
        device = new DeviceAuthorization(config, HttpClient.newHttpClient(), timer, Clock.systemUTC());
        deviceAnswer = device(1, 60, "WDJB-MJHT");
    }

    @AfterEach
    void stop() {
        server.stop(0);
        timer.shutdownNow();
    }

    private static String device(int interval, int expiresIn, String userCode) {
        return """
                {"device_code":"dc-secret","user_code":"%s","verification_uri":"http://kc/realms/employees/device",
                 "verification_uri_complete":"http://kc/realms/employees/device?user_code=%s","expires_in":%d,
                 "interval":%d}""".formatted(userCode, userCode, expiresIn, interval);
    }

    private static void reply(com.sun.net.httpserver.HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    private static KeycloakLoginException refusal(java.util.concurrent.Future<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        return DeviceLogin.refusal(e);
    }

    @Test
    void pollsAtTheIntervalAndWaitsFiveSecondsMoreAfterSlowDown() throws Exception {
        DeviceCode code = device.start("employees").get(10, TimeUnit.SECONDS);
        assertEquals("WDJB-MJHT", code.userCode());
        assertEquals(Duration.ofSeconds(1), code.interval());
        assertTrue(!code.toString().contains("dc-secret"), "the device code is a secret");
        tokenAnswers.addAll(List.of("{\"error\":\"authorization_pending\"}", "{\"error\":\"slow_down\"}",
                "{\"access_token\":\"the-token\",\"token_type\":\"Bearer\"}"));
        assertEquals("the-token", device.awaitToken(code).get(20, TimeUnit.SECONDS));
        assertEquals(3, polls.size());
        assertEquals(List.of(true, true, true), verifiers, "each poll proves the PKCE challenge of the request");
        long afterPending = Duration.ofNanos(polls.get(1) - polls.get(0)).toMillis();
        long afterSlowDown = Duration.ofNanos(polls.get(2) - polls.get(1)).toMillis();
        assertTrue(afterPending >= 900 && afterPending < 3000, "interval 1 s: " + afterPending);
        assertTrue(afterSlowDown >= 5900, "slow_down adds 5 s: " + afterSlowDown);
    }

    @Test
    void codeExpiresOnPortiersClockEvenWhileKeycloakSaysPending() throws Exception {
        deviceAnswer = device(1, 2, "WDJB-MJHT");
        tokenAnswers.add("{\"error\":\"authorization_pending\"}");
        DeviceCode code = device.start("employees").get(10, TimeUnit.SECONDS);
        KeycloakLoginException e = refusal(device.awaitToken(code));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertTrue(polls.size() <= 2, "no poll after the expiry: " + polls.size());
    }

    @Test
    void expiredTokenAnswerEndsTheWait() throws Exception {
        tokenAnswers.add("{\"error\":\"expired_token\"}");
        KeycloakLoginException e = refusal(device.awaitToken(device.start("employees").get(10, TimeUnit.SECONDS)));
        assertEquals("the sign-in code expired before you signed in; connect again to get a new code", e.userMessage());
    }

    @Test
    void denialInTheBrowserIsARefusal() throws Exception {
        tokenAnswers.add("{\"error\":\"access_denied\"}");
        KeycloakLoginException e = refusal(device.awaitToken(device.start("employees").get(10, TimeUnit.SECONDS)));
        assertEquals("the sign-in was denied in the browser; connect again to get a new code", e.userMessage());
    }

    @Test
    void cancellingStopsThePolling() throws Exception {
        tokenAnswers.add("{\"error\":\"authorization_pending\"}");
        var token = device.awaitToken(device.start("employees").get(10, TimeUnit.SECONDS));
        Thread.sleep(1_500);
        token.cancel(false);
        int seen = polls.size();
        Thread.sleep(2_500);
        assertTrue(polls.size() <= seen + 1, "polled on after cancel: " + seen + " -> " + polls.size());
    }

    @Test
    void userCodeWithEscapeSequencesNeverReachesTheTerminal() {
        deviceAnswer = device(1, 60, "\\u001b[2J");
        KeycloakLoginException e = refusal(device.start("employees"));
        assertTrue(e.getMessage().contains("unusable"), e.getMessage());
    }

    @Test
    void verificationUrlOtherThanHttpIsRefused() {
        deviceAnswer = device(1, 60, "WDJB-MJHT").replace("http://kc/realms/employees/device\"", "javascript:x\"");
        KeycloakLoginException e = refusal(device.start("employees"));
        assertTrue(e.getMessage().contains("unusable"), e.getMessage());
    }
}
