package dev.portier.gateway.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portier.access.identity.Identity;
import dev.portier.access.identity.IdentityProvider;
import dev.portier.gateway.core.Auditor;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Short-lived bearer tokens for the REST API: JWTs signed ES256 with a key of Portier's own, kept in the vault
 * apart from the grant-signing key. A token only names its user; who that user is (teams, roles) is read from
 * the identity source on every request, so a leaver's token stops working at once. Thread-safe.
 */
public final class TokenService {
    /** The vault's system secret that holds the private JWK. */
    public static final String KEY_NAME = "api-token-key";
    public static final String ISSUER = "portier";
    public static final String AUDIENCE = "portier-api";
    public static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
    public static final Duration MAX_TTL = Duration.ofHours(1);
    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    static final int CLOCK_SKEW_SECONDS = 30;
    /** Far above any token Portier issues; anything longer is refused before parsing. */
    static final int MAX_TOKEN_LENGTH = 4096;
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ECKey key;
    private final ECDSASigner signer;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final IdentityProvider identities;
    private final Auditor audit;
    private final Clock clock;

    TokenService(ECKey key, IdentityProvider identities, Auditor audit, Clock clock) {
        this.key = key;
        this.identities = identities;
        this.audit = audit;
        this.clock = clock;
        try {
            this.signer = new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("not a usable P-256 signing key: " + e.getMessage(), e);
        }
        this.processor = processor(key, clock);
    }

    /** The service with the key stored in {@code vault}, generated and stored there on first use. */
    public static TokenService open(Vault vault, IdentityProvider identities, Auditor audit, Clock clock)
            throws VaultException {
        var stored = vault.systemSecret(KEY_NAME);
        ECKey key;
        if (stored.isPresent()) {
            try {
                key = ECKey.parse(new String(stored.get(), StandardCharsets.UTF_8));
            } catch (ParseException e) {
                throw new VaultException("the API token key in the vault is unreadable: " + e.getMessage());
            }
            if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
                throw new VaultException("the API token key in the vault is not a private P-256 key");
            }
        } else {
            try {
                key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot generate a P-256 key: " + e.getMessage(), e);
            }
            vault.putSystemSecret(KEY_NAME, key.toJSONString().getBytes(StandardCharsets.UTF_8));
        }
        return new TokenService(key, identities, audit, clock);
    }

    /**
     * ES256 only, by this key only, typed {@code at+jwt}; issuer, audience, subject, realm, times and id all
     * present; the times checked with {@value #CLOCK_SKEW_SECONDS} s of skew against {@code clock}.
     */
    private static DefaultJWTProcessor<SecurityContext> processor(ECKey key, Clock clock) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TYPE));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()))));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(AUDIENCE,
                new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.ISSUED_AT, JWTClaimNames.NOT_BEFORE,
                        JWTClaimNames.EXPIRATION_TIME, JWTClaimNames.JWT_ID, "realm")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        p.setJWTClaimsSetVerifier(claims);
        return p;
    }

    /**
     * Issues a token for {@code who}, valid for {@code ttl} ({@link #MIN_TTL} to {@link #MAX_TTL}). Audited
     * as {@code token.issued} with its id, never the token; when the audit log cannot be written, no token.
     */
    public IssuedToken issue(Identity who, Duration ttl) throws TokenException {
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new TokenException("a token lives between " + MIN_TTL.toMinutes() + " minute and "
                    + MAX_TTL.toMinutes() + " minutes");
        }
        Instant now = clock.instant();
        Instant exp = now.plus(ttl);
        String jti = "t-" + randomHex(10);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(who.user())
                .claim("realm", who.realm())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(exp))
                .jwtID(jti)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE).keyID(key.getKeyID()).build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an API token: " + e.getMessage(), e);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("jti", jti);
        details.put("realm", who.realm());
        details.put("expires", exp.toString());
        if (!audit.record("token.issued", who.user(), null, null, "allow", "API token issued", details)) {
            throw new TokenException("the audit log cannot be written, so no token is issued; tell a Portier"
                    + " administrator");
        }
        return new IssuedToken(jwt.serialize(), jti, who.user(), now, exp);
    }

    /** The current identity of the token's user. */
    public Identity authenticate(String token) throws TokenException {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !COMPACT_JWS.matcher(token).matches()) {
            throw new TokenException("not a compact JWS");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ExpiredJWTException e) {
            throw new TokenException(clip(e.getMessage()), true);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new TokenException(clip(e.getMessage()));
        }
        // Longer than Portier ever issues: not one of ours, whatever the signature says.
        Duration lifetime = Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant());
        if (lifetime.compareTo(MAX_TTL.plusSeconds(CLOCK_SKEW_SECONDS)) > 0) {
            throw new TokenException("lifetime " + lifetime + " exceeds " + MAX_TTL);
        }
        Object realm = claims.getClaim("realm");
        Identity who = identities.lookup(claims.getSubject()).orElseThrow(() ->
                new TokenException("user " + clip(claims.getSubject()) + " is no longer known"));
        if (!who.realm().equals(realm)) {
            throw new TokenException("issued for realm " + clip(String.valueOf(realm)) + ", the user is in "
                    + who.realm());
        }
        return who;
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(160).forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
