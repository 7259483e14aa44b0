package dev.portier.gateway.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.portier.config.KeycloakConfig;
import dev.portier.config.SecretRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every attack on Keycloak token validation, with keys made here and a loopback JWKS server. */
class KeycloakTokenValidatorTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private JwksServer jwks;
    private RSAKey employeesKey;
    private RSAKey partnersKey;
    private KeycloakConfig config;
    private KeycloakTokenValidator validator;

    @BeforeEach
    void setUp() throws Exception {
        jwks = new JwksServer();
        employeesKey = new RSAKeyGenerator(2048).keyID("emp-1").generate();
        partnersKey = new RSAKeyGenerator(2048).keyID("par-1").generate();
        jwks.publish("employees", new JWKSet(employeesKey));
        jwks.publish("partners", new JWKSet(partnersKey));
        KeycloakConfig.Admin admin = new KeycloakConfig.Admin("employees", "portier-admin",
                new SecretRef(SecretRef.Kind.ENV, "X"));
        config = new KeycloakConfig(URI.create(jwks.url()), null, admin, List.of(
                new KeycloakConfig.Realm("employees", "portier", Set.of(KeycloakConfig.SshAuth.DEVICE),
                        List.of("RS256"), admin),
                new KeycloakConfig.Realm("partners", "portier", Set.of(KeycloakConfig.SshAuth.DEVICE),
                        List.of("RS256"), admin)));
        validator = validator(clock);
    }

    /** A clock the test moves: the key refresh is rate-limited by time. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private KeycloakTokenValidator validator(Clock c) {
        Map<String, URI> uris = Map.of(
                "employees", URI.create(jwks.url() + "/realms/employees/protocol/openid-connect/certs"),
                "partners", URI.create(jwks.url() + "/realms/partners/protocol/openid-connect/certs"));
        return new KeycloakTokenValidator(config, new RealmKeys(uris, HttpClient.newHttpClient(), c), c);
    }

    @AfterEach
    void tearDown() {
        jwks.close();
    }

    private JWTClaimsSet.Builder claims(String realm) {
        return new JWTClaimsSet.Builder()
                .issuer(jwks.url() + "/realms/" + realm)
                .subject("3f1c-user-id")
                .claim("typ", "Bearer")
                .claim("azp", "portier")
                .claim("preferred_username", "kate")
                .claim("groups", List.of("netops"))
                .claim("realm_access", Map.of("roles", List.of("operator", "offline_access")))
                .claim("resource_access", Map.of("portier", Map.of("roles", List.of("reviewer")),
                        "account", Map.of("roles", List.of("manage-account"))))
                .issueTime(Date.from(NOW.minusSeconds(30)))
                .expirationTime(Date.from(NOW.plusSeconds(270)))
                .jwtID("jti-1");
    }

    private static String sign(RSAKey key, JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private String token(String realm, Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder b = claims(realm);
        change.accept(b);
        return sign(realm.equals("partners") ? partnersKey : employeesKey, JWSAlgorithm.RS256, b.build());
    }

    private String refusal(String token) {
        return assertThrows(KeycloakTokenException.class, () -> validator.validate(token)).getMessage();
    }

    @Test
    void genuineTokenIsAcceptedWithItsClaims() throws Exception {
        VerifiedToken t = validator.validate(token("employees", b -> { }));
        assertEquals("employees", t.realm());
        assertEquals("kate", t.username());
        assertEquals("3f1c-user-id", t.subject());
        assertEquals(Set.of("netops"), t.groups());
        assertEquals(Set.of("operator", "offline_access"), t.realmRoles());
        assertEquals(Set.of("reviewer"), t.clientRoles(), "only the roles of the realm's Portier client");
    }

    @Test
    void eachRealmIsCheckedWithItsOwnKeys() throws Exception {
        assertEquals("partners", validator.validate(token("partners", b -> { })).realm());
    }

    @Test
    void tokenSignedWithAnotherKeyUnderTheRealKidIsRefused() throws Exception {
        RSAKey forger = new RSAKeyGenerator(2048).keyID("emp-1").generate();
        String forged = sign(forger, JWSAlgorithm.RS256, claims("employees").build());
        assertTrue(refusal(forged).contains("Signed JWT rejected"), refusal(forged));
    }

    @Test
    void algNoneIsRefused() throws Exception {
        String unsigned = new PlainJWT(claims("employees").build()).serialize();
        assertEquals("signed with none, but realm employees tokens are accepted only with RS256", refusal(unsigned));
    }

    @Test
    void hmacKeyedWithThePublicKeyIsRefused() throws Exception {
        // The classic confusion: HS256 whose secret is the realm's public key, as an attacker can download it.
        byte[] publicKey = employeesKey.toPublicJWK().toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT)
                .keyID("emp-1").build(), claims("employees").build());
        jwt.sign(new MACSigner(pad(publicKey)));
        String confused = jwt.serialize();
        assertEquals("signed with HS256, but realm employees tokens are accepted only with RS256", refusal(confused));
    }

    @Test
    void hmacKeySlippedIntoTheKeySetIsIgnored() throws Exception {
        OctetSequenceKey oct = new OctetSequenceKey.Builder("0123456789abcdef0123456789abcdef".getBytes(
                StandardCharsets.UTF_8)).keyID("oct-1").build();
        jwks.publishRaw("employees", "{\"keys\":[" + oct.toJSONString() + "," + employeesKey.toPublicJWK().toJSONString()
                + "]}");
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT)
                .keyID("oct-1").build(), claims("employees").build());
        jwt.sign(new MACSigner(oct));
        assertThrows(KeycloakTokenException.class, () -> validator.validate(jwt.serialize()));
    }

    @Test
    void keyOfAnotherRealmIsRefused() throws Exception {
        // Signed by partners' genuine key, but claiming to be an employees token.
        String crossed = sign(partnersKey, JWSAlgorithm.RS256, claims("employees").build());
        assertTrue(refusal(crossed).contains("Signed JWT rejected"), refusal(crossed));
    }

    @Test
    void untrustedIssuerIsRefused() throws Exception {
        String other = token("employees", b -> b.issuer(jwks.url() + "/realms/master"));
        assertTrue(refusal(other).contains("not a trusted realm"), refusal(other));
        String lookalike = token("employees", b -> b.issuer(jwks.url() + "/realms/employees/"));
        assertTrue(refusal(lookalike).contains("not a trusted realm"), refusal(lookalike));
    }

    @Test
    void algorithmTheRealmDoesNotUseIsRefused() throws Exception {
        String rs512 = sign(employeesKey, JWSAlgorithm.RS512, claims("employees").build());
        assertEquals("signed with RS512, but realm employees tokens are accepted only with RS256", refusal(rs512));
    }

    @Test
    void expiredTokenIsRefusedAsExpired() throws Exception {
        String old = token("employees", b -> b.issueTime(Date.from(NOW.minusSeconds(400)))
                .expirationTime(Date.from(NOW.minusSeconds(100))));
        KeycloakTokenException e = assertThrows(KeycloakTokenException.class, () -> validator.validate(old));
        assertTrue(e.expired(), e.getMessage());
    }

    @Test
    void expiryWithinTheSkewIsTolerated() throws Exception {
        validator.validate(token("employees", b -> b.expirationTime(Date.from(NOW.minusSeconds(5)))));
    }

    @Test
    void notYetValidTokenIsRefused() throws Exception {
        assertTrue(refusal(token("employees", b -> b.notBeforeTime(Date.from(NOW.plusSeconds(60))))).contains("before"));
    }

    @Test
    void tokenIssuedInTheFutureIsRefused() throws Exception {
        assertTrue(refusal(token("employees", b -> b.issueTime(Date.from(NOW.plusSeconds(120))))).contains("future"));
    }

    @Test
    void tokenForAnotherClientIsRefused() throws Exception {
        String other = token("employees", b -> b.claim("azp", "other-app").audience("account"));
        assertEquals("issued to client other-app, not to portier", refusal(other));
    }

    @Test
    void tokenOfAnotherClientNamingPortierAsAudienceIsRefused() throws Exception {
        // Keycloak puts portier in aud of any app's token when the user holds a portier role: a replay risk.
        String replayed = token("employees", b -> b.claim("azp", "other-app").audience(List.of("portier", "account")));
        assertEquals("issued to client other-app, not to portier", refusal(replayed));
    }

    @Test
    void idTokenIsNotABearerToken() throws Exception {
        assertTrue(refusal(token("employees", b -> b.claim("typ", "ID").audience("portier"))).contains("typ"));
    }

    @Test
    void tokenWithoutUsernameIsRefused() throws Exception {
        assertTrue(refusal(token("employees", b -> b.claim("preferred_username", null))).contains("preferred_username"));
    }

    @Test
    void garbageAndOversizedTokensAreRefusedBeforeParsing() {
        assertEquals("not a compact JWS", refusal("not a token"));
        assertEquals("not a compact JWS", refusal("a.b.c" + "x".repeat(KeycloakTokenValidator.MAX_TOKEN_LENGTH)));
    }

    @Test
    void rotatedKeyIsFetchedOnceWhenItsKidIsUnknown() throws Exception {
        validator.validate(token("employees", b -> { }));
        RSAKey next = new RSAKeyGenerator(2048).keyID("emp-2").generate();
        jwks.publish("employees", new JWKSet(List.of(employeesKey, next)));
        int before = jwks.fetches.get();
        clock.advance(RealmKeys.MIN_REFRESH.toSeconds());
        validator.validate(sign(next, JWSAlgorithm.RS256, claims("employees").build()));
        assertEquals(before + 1, jwks.fetches.get());
    }

    @Test
    void unknownKidsDoNotHammerKeycloak() throws Exception {
        validator.validate(token("employees", b -> { }));
        int before = jwks.fetches.get();
        for (int i = 0; i < 20; i++) {
            RSAKey forged = new RSAKeyGenerator(2048).keyID("forged-" + i).generate();
            String t = sign(forged, JWSAlgorithm.RS256, claims("employees").build());
            assertThrows(KeycloakTokenException.class, () -> validator.validate(t));
            clock.advance(1);
        }
        // 20 forged kids over 20 s: at most one fetch per 10 s.
        assertTrue(jwks.fetches.get() - before <= 2, "fetches: " + (jwks.fetches.get() - before));
    }

    @Test
    void unreachableKeycloakIsUnavailableNotInvalid() throws Exception {
        String t = token("employees", b -> { });
        jwks.close();
        assertThrows(KeycloakException.class, () -> validator.validate(t));
    }

    /** HMAC-SHA256 needs 256 bits at least; the DER public key is longer, this only guards the test itself. */
    private static byte[] pad(byte[] key) {
        return key.length >= 32 ? key : Base64URL.encode(key).decode();
    }
}
