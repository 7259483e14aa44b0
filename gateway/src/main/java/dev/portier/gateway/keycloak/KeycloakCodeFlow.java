package dev.portier.gateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
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
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The OAuth 2.0 authorization code flow with PKCE (S256) against a trusted realm, for the portal: the URL that sends
 * the browser to the realm's sign-in, and the exchange of the code it brings back. The exchange sends the verifier, so
 * a code stolen on its way back is worth nothing without it; the ID token must carry the nonce of this sign-in, so a
 * token minted for another sign-in cannot be slipped in; the access token must pass Portier's validator and name the
 * same user. The caller then maps it with {@link KeycloakIntegration#authenticate}. Thread-safe; {@link #exchange} blocks on HTTP.
 */
public final class KeycloakCodeFlow {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Keycloak's token answers are a few KB; anything far larger is not one. */
    private static final int MAX_ANSWER = 64 * 1024;

    private final KeycloakConfig config;
    private final HttpClient http;
    private final KeycloakTokenValidator tokens;
    private final Map<String, DefaultJWTProcessor<SecurityContext>> idTokens = new LinkedHashMap<>();

    KeycloakCodeFlow(KeycloakConfig config, HttpClient http, KeycloakTokenValidator tokens) {
        this.config = config;
        this.http = http;
        this.tokens = tokens;
        for (KeycloakConfig.Realm realm : config.realms()) {
            idTokens.put(realm.name(), idTokenProcessor(config, realm, tokens.keys(), tokens.clock()));
        }
    }

    /** What the code exchange yields: the access token (a secret: never logged) and what it says, verified. */
    public record SignedIn(String accessToken, VerifiedToken token) {
        @Override
        public String toString() {
            return "SignedIn[" + token.username() + "@" + token.realm() + "]";
        }
    }

    /** {@code BASE64URL(SHA-256(verifier))}: the challenge sent ahead, as RFC 7636 defines S256. */
    public static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The realm's authorization endpoint with everything this sign-in needs; the realm must be trusted. */
    public URI authorizationUri(String realm, URI redirectUri, String state, String nonce, String verifier) {
        KeycloakConfig.Realm r = config.realm(realm).orElseThrow(() -> new IllegalArgumentException(
                "realm " + realm + " is not trusted"));
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", r.clientId());
        q.put("redirect_uri", redirectUri.toString());
        q.put("scope", "openid");
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", challenge(verifier));
        q.put("code_challenge_method", "S256");
        return URI.create(KeycloakTokenValidator.issuer(config, realm) + "/protocol/openid-connect/auth?" + form(q));
    }

    /**
     * Exchanges {@code code} at the realm's token endpoint with the PKCE verifier and checks the ID token (signature,
     * issuer, audience, times, {@code nonce}).
     *
     * @throws KeycloakTokenException when Keycloak refuses the code (used, expired, wrong verifier) or the ID token
     *                                is not this sign-in's
     * @throws KeycloakException      when Keycloak cannot be reached or answers something else than a token
     */
    public SignedIn exchange(String realm, String code, URI redirectUri, String verifier, String nonce)
            throws KeycloakTokenException, KeycloakException {
        KeycloakConfig.Realm r = config.realm(realm).orElseThrow(() -> new KeycloakTokenException(
                "realm " + realm + " is not trusted"));
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("client_id", r.clientId());
        f.put("code", code);
        f.put("redirect_uri", redirectUri.toString());
        f.put("code_verifier", verifier);
        HttpRequest req = HttpRequest.newBuilder(URI.create(KeycloakTokenValidator.issuer(config, realm)
                + "/protocol/openid-connect/token")).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(f))).build();
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new KeycloakException("cannot reach Keycloak's token endpoint of realm " + realm + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakException("interrupted while exchanging a code with realm " + realm, e);
        }
        JsonNode body = json(resp.body());
        if (resp.statusCode() == 400 || resp.statusCode() == 401) {
            throw new KeycloakTokenException("Keycloak refused the code: "
                    + KeycloakTokenValidator.clip(body.path("error").asText("HTTP " + resp.statusCode())) + " ("
                    + KeycloakTokenValidator.clip(body.path("error_description").asText("")) + ")");
        }
        String access = body.path("access_token").asText("");
        String id = body.path("id_token").asText("");
        if (resp.statusCode() != 200 || access.isEmpty() || id.isEmpty()) {
            throw new KeycloakException("Keycloak's token endpoint of realm " + realm + " answered HTTP "
                    + resp.statusCode() + " without tokens");
        }
        String subject = idTokenSubject(realm, r.clientId(), id, nonce);
        VerifiedToken token = tokens.validate(access);
        if (!token.realm().equals(realm) || !token.subject().equals(subject)) {
            throw new KeycloakTokenException("the ID token and the access token name different users");
        }
        return new SignedIn(access, token);
    }

    private String idTokenSubject(String realm, String clientId, String idToken, String nonce)
            throws KeycloakTokenException, KeycloakException {
        JWTClaimsSet claims;
        try {
            claims = idTokens.get(realm).process(idToken, null);
        } catch (KeySourceException e) {
            throw new KeycloakException("cannot check the ID token: " + e.getMessage(), e);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new KeycloakTokenException("ID token refused: " + KeycloakTokenValidator.clip(e.getMessage()));
        }
        // Compared here rather than as an exact-match claim, so the refusal says which check failed.
        if (!MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
                String.valueOf(claims.getClaim("nonce")).getBytes(StandardCharsets.UTF_8))) {
            throw new KeycloakTokenException("the ID token's nonce is not this sign-in's");
        }
        Object azp = claims.getClaim("azp");
        if (azp != null && !clientId.equals(azp)) {
            throw new KeycloakTokenException("the ID token was issued to client "
                    + KeycloakTokenValidator.clip(String.valueOf(azp)) + ", not to " + clientId);
        }
        return claims.getSubject();
    }

    private static DefaultJWTProcessor<SecurityContext> idTokenProcessor(KeycloakConfig config,
            KeycloakConfig.Realm realm, RealmKeys keys, Clock clock) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        Set<JWSAlgorithm> algorithms = realm.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys.source(realm.name())));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(realm.clientId()),
                new JWTClaimsSet.Builder().issuer(KeycloakTokenValidator.issuer(config, realm.name())).claim("typ", "ID")
                        .build(),
                Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.ISSUED_AT, JWTClaimNames.EXPIRATION_TIME, "nonce"), null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(KeycloakTokenValidator.CLOCK_SKEW_SECONDS);
        p.setJWTClaimsSetVerifier(claims);
        return p;
    }

    private static JsonNode json(byte[] body) {
        if (body.length > MAX_ANSWER) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.nullNode();
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
