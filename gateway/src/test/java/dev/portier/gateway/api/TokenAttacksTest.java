package dev.portier.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.portier.config.ConfigLoader;
import dev.portier.gateway.Gateway;
import dev.portier.gateway.api.ApiGateway.Reply;
import dev.portier.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the bearer tokens of a real gateway: every forged, altered, stale or orphaned token gets 401 with
 * a Bearer challenge and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenAttacksTest {
    private static final String LIST = "/api/v1/requests";

    @TempDir
    static Path tmp;

    ApiGateway g;
    /** Portier's real token key, read from the vault as an attacker who stole it would. */
    ECKey portierKey;

    @BeforeAll
    void start() throws Exception {
        g = new ApiGateway(tmp);
        portierKey = ECKey.parse(new String(Vault.open(g.data).systemSecret(TokenService.KEY_NAME).orElseThrow(),
                StandardCharsets.UTF_8));
    }

    @AfterAll
    void stop() {
        if (g != null) {
            g.close();
        }
    }

    private static JWTClaimsSet.Builder claims(String user) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer("portier").audience("portier-api").subject(user)
                .claim("realm", dev.portier.config.LocalUser.DEFAULT_REALM)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID("t-forged");
    }

    private static String es256(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(TokenService.TYPE)
                .keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private String withPortierKey(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder b = claims("alice");
        change.accept(b);
        return es256(portierKey, b.build());
    }

    private void assertRefused(String token) {
        Reply r = g.get(LIST, token);
        assertEquals(401, r.status(), r.raw().body());
        assertTrue(r.raw().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                r.raw().headers().map().toString());
        assertTrue(r.error().endsWith("-token"), r.raw().body());
    }

    @Test
    void genuineTokenIsAccepted() throws Exception {
        assertEquals(200, g.get(LIST, withPortierKey(b -> { })).status(), "the forging helper itself is sound");
        assertEquals(200, g.get(LIST, g.token("alice")).status());
    }

    @Test
    void missingTokenIsRefused() {
        Reply r = g.get(LIST, null);
        assertEquals(401, r.status());
        assertEquals("missing-token", r.error());
        assertEquals("Bearer realm=\"portier\"", r.raw().headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(g.auditLog().contains("\"api.auth.failure\""));
    }

    @Test
    void nonBearerSchemeIsRefused() {
        Reply r = g.send(java.net.http.HttpRequest.newBuilder(g.uri(LIST)).header("Authorization", "Basic YWxpY2U6eA=="));
        assertEquals(401, r.status());
    }

    @Test
    void tokenSignedByAnotherEcKeyIsRefused() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID(portierKey.getKeyID()).generate();
        assertRefused(es256(other, claims("alice").build()));
    }

    @Test
    void unsignedAlgNoneTokenIsRefused() {
        String none = new PlainJWT(claims("alice").build()).serialize();
        assertRefused(none);
        // The same with a junk signature part, for parsers that only look at the header.
        assertRefused(none + "c2lnbmF0dXJl");
    }

    @Test
    void hs256TokenKeyedWithThePublicKeyIsRefused() throws Exception {
        byte[] secret = portierKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TokenService.TYPE).build(),
                claims("alice").build());
        jwt.sign(new MACSigner(secret));
        assertRefused(jwt.serialize());
        byte[] der = portierKey.toECPublicKey().getEncoded();
        SignedJWT jwt2 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TokenService.TYPE).build(),
                claims("alice").build());
        jwt2.sign(new MACSigner(java.util.Arrays.copyOf(der, Math.max(32, der.length))));
        assertRefused(jwt2.serialize());
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        Instant past = Instant.now().minus(Duration.ofMinutes(20));
        String token = withPortierKey(b -> b.issueTime(Date.from(past)).notBeforeTime(Date.from(past))
                .expirationTime(Date.from(past.plus(Duration.ofMinutes(15)))));
        Reply r = g.get(LIST, token);
        assertEquals(401, r.status());
        assertEquals("expired-token", r.error());
    }

    @Test
    void tokenIssuedByTheServiceThatHasExpiredIsRefused() throws Exception {
        java.time.Clock earlier = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(-30));
        TokenService past = new TokenService(portierKey, g.gateway.context().identities(), g.gateway.context().audit(),
                earlier);
        String token = past.issue(g.gateway.context().identities().lookup("alice").orElseThrow(), Duration.ofMinutes(15))
                .token();
        assertRefused(token);
    }

    @Test
    void tokenNotYetValidIsRefused() throws Exception {
        Instant later = Instant.now().plus(Duration.ofMinutes(5));
        assertRefused(withPortierKey(b -> b.notBeforeTime(Date.from(later))));
    }

    @Test
    void wrongAudienceIsRefused() throws Exception {
        assertRefused(withPortierKey(b -> b.audience("portier-grant")));
        assertRefused(withPortierKey(b -> b.audience((String) null)));
    }

    @Test
    void wrongIssuerIsRefused() throws Exception {
        assertRefused(withPortierKey(b -> b.issuer("evil")));
    }

    @Test
    void wrongTokenTypeIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("JWT"))
                .keyID(portierKey.getKeyID()).build(), claims("alice").build());
        jwt.sign(new ECDSASigner(portierKey));
        assertRefused(jwt.serialize());
    }

    @Test
    void overlongLifetimeIsRefused() throws Exception {
        assertRefused(withPortierKey(b -> b.expirationTime(Date.from(Instant.now().plus(Duration.ofHours(5))))));
    }

    @Test
    void grantStatementIsNotABearerToken() throws Exception {
        ECKey grantKey = ECKey.parse(new String(Vault.open(g.data).systemSecret(Gateway.GRANT_KEY).orElseThrow(),
                StandardCharsets.UTF_8));
        assertFalse(grantKey.toPublicJWK().equals(portierKey.toPublicJWK()), "API tokens use their own key");
        assertRefused(es256(grantKey, claims("alice").build()));
    }

    @Test
    void tamperedClaimsAreRefused() throws Exception {
        String[] parts = g.token("alice").split("\\.");
        String bobClaims = Base64URL.encode(claims("bob").build().toString()).toString();
        assertRefused(parts[0] + "." + bobClaims + "." + parts[2]);
    }

    @Test
    void realmMismatchIsRefused() throws Exception {
        assertRefused(withPortierKey(b -> b.claim("realm", "partners")));
    }

    @Test
    void tokenOfAUserRemovedFromTheConfigIsRefused() throws Exception {
        String erin = g.token("erin");
        assertEquals(200, g.get(LIST, erin).status());
        String withoutErin = g.yaml.replaceAll("(?m)^\\s*- \\{ name: erin.*$", "");
        g.gateway.reloadIdentities(ConfigLoader.parse(withoutErin, "api-test.yaml"));
        assertRefused(erin);
    }

    @Test
    void refusedTokensChangeNothing() throws Exception {
        String forged = es256(new ECKeyGenerator(Curve.P_256).generate(), claims("alice").build());
        Reply r = g.post("/api/v1/requests", forged, "{\"target\": \"srv-a\", \"reason\": \"x\"}");
        assertEquals(401, r.status());
        assertFalse(g.auditLog().contains("\"request.created\""), "no request was filed");
    }
}
