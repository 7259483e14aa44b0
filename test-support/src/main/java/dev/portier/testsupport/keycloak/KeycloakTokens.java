package dev.portier.testsupport.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Token requests against the test Keycloak, as a client application would make them: the password grant (with
 * the TOTP code where the user has one), client credentials, and the bootstrap administrator's token.
 * Thread-safe.
 */
public final class KeycloakTokens {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    KeycloakTokens(String url) {
        this.url = url;
    }

    /** An answer of Keycloak: status and JSON body (a JSON null when the body is not JSON). */
    public record Reply(int status, JsonNode json) {
        public boolean ok() {
            return status == 200;
        }

        /** {@code error: error_description} of a refusal, for assertion messages. */
        public String error() {
            return json.path("error").asText() + ": " + json.path("error_description").asText();
        }
    }

    /** Tokens of one grant. The tokens are secrets: {@link #toString()} leaves them out. */
    public record TokenSet(String accessToken, String refreshToken, String idToken, long expiresIn) {
        static TokenSet of(JsonNode json) {
            return new TokenSet(json.path("access_token").asText(null), json.path("refresh_token").asText(null),
                    json.path("id_token").asText(null), json.path("expires_in").asLong());
        }

        @Override
        public String toString() {
            return "TokenSet[expiresIn=" + expiresIn + "]";
        }
    }

    /**
     * The resource-owner password grant; {@code totp} is the current one-time code for users with OTP, else
     * {@code null}. Fails the test with Keycloak's error when refused.
     */
    public TokenSet password(String realm, String clientId, String user, String password, String totp) {
        Reply r = passwordReply(realm, clientId, user, password, totp);
        if (!r.ok()) {
            throw new IllegalStateException("Keycloak refused the password grant for " + user + "@" + realm + ": "
                    + r.error());
        }
        return TokenSet.of(r.json());
    }

    /** The password grant's raw answer, for tests of refusals. */
    public Reply passwordReply(String realm, String clientId, String user, String password, String totp) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        form.put("username", user);
        form.put("password", password);
        form.put("scope", "openid");
        if (totp != null) {
            form.put("totp", totp);
        }
        return post("/realms/" + realm + "/protocol/openid-connect/token", form);
    }

    /** A service account's token (client credentials grant). */
    public TokenSet clientCredentials(String realm, String clientId, String secret) {
        Reply r = post("/realms/" + realm + "/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
        if (!r.ok()) {
            throw new IllegalStateException("Keycloak refused client credentials for " + clientId + ": " + r.error());
        }
        return TokenSet.of(r.json());
    }

    /** The bootstrap administrator's access token (master realm), for changes a test makes through the admin API. */
    public String adminToken() {
        return password("master", "admin-cli", Keycloak.ADMIN_USER, Keycloak.ADMIN_PASSWORD, null).accessToken();
    }

    /** POSTs a form to {@code path} (below the server's URL). */
    public Reply post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Sends a request to the admin REST API ({@code /admin/realms/...}) as the bootstrap administrator. */
    public Reply admin(String method, String path, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + adminToken());
        if (jsonBody == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return send(b);
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
            } catch (IOException e) {
                json = JSON.nullNode();
            }
            return new Reply(r.statusCode(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
