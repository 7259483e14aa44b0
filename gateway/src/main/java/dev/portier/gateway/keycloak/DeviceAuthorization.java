package dev.portier.gateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.config.KeycloakConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The OAuth 2.0 Device Authorization Grant (RFC 8628) against a trusted realm, with the realm's public Portier client:
 * {@link #start} asks for a device and user code, {@link #awaitToken} polls the token endpoint at the announced
 * interval (5 s more after each {@code slow_down}) until the person signed in, refused, or the code expired.
 *
 * <p>Every request carries a PKCE challenge (S256) and the polls its verifier: a realm whose Portier client
 * requires PKCE refuses the grant without it, and with it a stolen device code alone cannot be redeemed.
 *
 * <p>Nothing here blocks a thread: requests go out with {@link HttpClient#sendAsync} and the waits between polls are
 * scheduled on {@code timer}. Cancelling the future {@link #awaitToken} returns stops the polling. What Keycloak
 * answers is checked before it reaches a terminal: codes and URLs with anything but printable ASCII are refused.
 */
public final class DeviceAuthorization {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_INTERVAL = Duration.ofSeconds(60);
    static final Duration SLOW_DOWN = Duration.ofSeconds(5);
    /** Portier's own limit: past the SSH login timeout a code is useless anyway. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
    static final int MAX_FAILED_POLLS = 3;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern USER_CODE = Pattern.compile("[A-Za-z0-9-]{1,32}");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]{1,2048}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

    private final KeycloakConfig config;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Clock clock;

    DeviceAuthorization(KeycloakConfig config, HttpClient http, ScheduledExecutorService timer, Clock clock) {
        this.config = config;
        this.http = http;
        this.timer = timer;
        this.clock = clock;
    }

    /** Asks {@code realm} for a device authorization; fails with {@link KeycloakLoginException}. */
    public CompletableFuture<DeviceCode> start(String realm) {
        KeycloakConfig.Realm r = config.realm(realm).orElseThrow(() -> new IllegalArgumentException("untrusted realm"));
        URI uri = URI.create(KeycloakTokenValidator.issuer(config, realm) + "/protocol/openid-connect/auth/device");
        String verifier = verifier();
        return post(uri, Map.of("client_id", r.clientId(), "code_challenge", challenge(verifier),
                "code_challenge_method", "S256")).thenApply(reply -> {
                    if (reply.status() != 200) {
                        throw new CompletionException(unavailable(realm, "the device endpoint answered "
                                + reply.status() + errorOf(reply.json()), null));
                    }
                    return deviceCode(realm, verifier, reply.json());
                });
    }

    /**
     * Polls until the person has signed in; completes with the access token (not yet validated), or fails with
     * {@link KeycloakLoginException}: denied, expired, or Keycloak failing.
     */
    public CompletableFuture<String> awaitToken(DeviceCode code) {
        CompletableFuture<String> result = new CompletableFuture<>();
        schedule(result, code, code.interval(), 0);
        return result;
    }

    private void schedule(CompletableFuture<String> result, DeviceCode code, Duration interval, int failures) {
        if (result.isDone()) {
            return;
        }
        timer.schedule(() -> poll(result, code, interval, failures), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll(CompletableFuture<String> result, DeviceCode code, Duration interval, int failures) {
        if (result.isDone()) {
            return;
        }
        if (!clock.instant().isBefore(code.expires())) {
            result.completeExceptionally(expired(code));
            return;
        }
        KeycloakConfig.Realm realm = config.realm(code.realm()).orElseThrow();
        URI uri = URI.create(KeycloakTokenValidator.issuer(config, code.realm()) + "/protocol/openid-connect/token");
        post(uri, Map.of("grant_type", GRANT_TYPE, "device_code", code.deviceCode(), "client_id", realm.clientId(),
                "code_verifier", code.codeVerifier()))
                .whenComplete((reply, error) -> {
                    if (error != null) {
                        if (failures + 1 >= MAX_FAILED_POLLS) {
                            result.completeExceptionally(unavailable(code.realm(), "the token endpoint cannot be reached",
                                    error));
                        } else {
                            schedule(result, code, interval, failures + 1);
                        }
                        return;
                    }
                    answer(result, code, interval, failures, reply);
                });
    }

    private void answer(CompletableFuture<String> result, DeviceCode code, Duration interval, int failures, Reply reply) {
        String token = reply.json().path("access_token").asText("");
        if (reply.status() == 200 && !token.isEmpty()) {
            result.complete(token);
            return;
        }
        String error = reply.json().path("error").asText("");
        switch (error) {
            case "authorization_pending" -> schedule(result, code, interval, 0);
            case "slow_down" -> schedule(result, code, min(interval.plus(SLOW_DOWN), MAX_INTERVAL), 0);
            case "access_denied" -> result.completeExceptionally(new KeycloakLoginException(
                    "sign-in denied in the browser (realm " + code.realm() + ")",
                    "the sign-in was denied in the browser; connect again to get a new code"));
            case "expired_token" -> result.completeExceptionally(expired(code));
            default -> {
                if (reply.status() >= 500 && failures + 1 < MAX_FAILED_POLLS) {
                    schedule(result, code, interval, failures + 1);
                } else {
                    result.completeExceptionally(unavailable(code.realm(), "the token endpoint answered "
                            + reply.status() + errorOf(reply.json()), null));
                }
            }
        }
    }

    private DeviceCode deviceCode(String realm, String verifier, JsonNode json) {
        String deviceCode = json.path("device_code").asText("");
        String userCode = json.path("user_code").asText("");
        String verification = json.path("verification_uri").asText("");
        String complete = json.path("verification_uri_complete").asText(verification);
        if (deviceCode.isEmpty() || deviceCode.length() > 4096 || !USER_CODE.matcher(userCode).matches()
                || !webUrl(verification) || !webUrl(complete)) {
            throw new CompletionException(unavailable(realm, "the device endpoint answered an unusable authorization",
                    null));
        }
        Duration interval = json.has("interval") ? Duration.ofSeconds(json.path("interval").asLong(5))
                : DEFAULT_INTERVAL;
        interval = min(interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : interval, MAX_INTERVAL);
        long expiresIn = json.path("expires_in").asLong(0);
        Duration lifetime = expiresIn <= 0 ? MAX_LIFETIME : min(Duration.ofSeconds(expiresIn), MAX_LIFETIME);
        return new DeviceCode(realm, deviceCode, verifier, userCode, URI.create(verification), URI.create(complete),
                interval, clock.instant().plus(lifetime));
    }

    /** Shown on the person's terminal: printable ASCII only, http(s), so Keycloak cannot inject escape sequences. */
    private static boolean webUrl(String s) {
        if (!PRINTABLE.matcher(s).matches()) {
            return false;
        }
        try {
            URI u = new URI(s);
            return ("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** 32 random bytes, base64url: 43 characters, within RFC 7636's 43 to 128. */
    private static String verifier() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static KeycloakLoginException expired(DeviceCode code) {
        return new KeycloakLoginException("the device code expired before sign-in (realm " + code.realm() + ")",
                "the sign-in code expired before you signed in; connect again to get a new code");
    }

    private static KeycloakLoginException unavailable(String realm, String why, Throwable cause) {
        return new KeycloakLoginException("Keycloak realm " + realm + ": " + why,
                "Keycloak cannot complete the sign-in now; try again later", cause);
    }

    /** {@code : error} from a refusal, only when it is a plain OAuth error code (it ends up in the audit log). */
    private static String errorOf(JsonNode json) {
        String error = json.path("error").asText("");
        return error.matches("[a-z_]{1,64}") ? " (" + error + ")" : "";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private record Reply(int status, JsonNode json) {
    }

    private CompletableFuture<Reply> post(URI uri, Map<String, String> form) {
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Reply(r.statusCode(),
                parse(r.body())));
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.length() > 64 * 1024 ? JSON.nullNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.nullNode();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
