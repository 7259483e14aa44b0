package dev.portier.gateway.keycloak;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.portier.config.KeycloakConfig;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates Keycloak access tokens with Nimbus: the issuer picks the trusted realm (exact match, so another realm or
 * server is refused), then the signature must verify with that realm's key named by {@code kid} and one of the
 * realm's configured algorithms (so {@code alg: none}, HMAC keyed with the public key and keys of other realms all
 * fail), {@code typ} must be {@code Bearer} (not an ID or refresh token), the token must be issued to the realm's
 * Portier client ({@code azp}), and {@code exp}, {@code nbf}, {@code iat} must hold with
 * {@value #CLOCK_SKEW_SECONDS} s of skew. Thread-safe.
 */
public final class KeycloakTokenValidator {
    static final int CLOCK_SKEW_SECONDS = 10;
    /** Keycloak's access tokens are a few KB; a larger header is refused before parsing. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;
    private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private record Trusted(KeycloakConfig.Realm realm, DefaultJWTProcessor<SecurityContext> processor) {
    }

    private final Map<String, Trusted> byIssuer = new HashMap<>();
    private final RealmKeys keys;
    private final Clock clock;

    KeycloakTokenValidator(KeycloakConfig config, RealmKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
        for (KeycloakConfig.Realm realm : config.realms()) {
            byIssuer.put(issuer(config, realm.name()), new Trusted(realm, processor(config, realm, keys, clock)));
        }
    }

    /** The realms' signing keys, shared with the ID-token check of the code flow. */
    RealmKeys keys() {
        return keys;
    }

    Clock clock() {
        return clock;
    }

    /** {@code <url>/realms/<name>}: what Keycloak writes in {@code iss}. */
    static String issuer(KeycloakConfig config, String realm) {
        return config.url() + "/realms/" + realm;
    }

    /** True when {@code token} claims to come from a trusted realm (unverified: only to route it here). */
    public boolean claimsTrustedIssuer(String token) {
        return unverifiedIssuer(token).filter(byIssuer::containsKey).isPresent();
    }

    /**
     * @throws KeycloakTokenException when the token is not a genuine, current token of a trusted realm for Portier
     * @throws KeycloakException      when the realm's keys cannot be fetched, so nothing can be decided
     */
    public VerifiedToken validate(String token) throws KeycloakTokenException, KeycloakException {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !COMPACT.matcher(token).matches()) {
            throw new KeycloakTokenException("not a compact JWS");
        }
        String iss = unverifiedIssuer(token).orElseThrow(() -> new KeycloakTokenException("no issuer"));
        Trusted trusted = byIssuer.get(iss);
        if (trusted == null) {
            throw new KeycloakTokenException("issued by " + clip(iss) + ", which is not a trusted realm");
        }
        String alg = unverifiedAlgorithm(token);
        if (!trusted.realm().algorithms().contains(alg)) {
            throw new KeycloakTokenException("signed with " + clip(alg) + ", but realm " + trusted.realm().name()
                    + " tokens are accepted only with " + String.join(", ", trusted.realm().algorithms()));
        }
        JWTClaimsSet claims;
        try {
            claims = trusted.processor().process(token, null);
        } catch (ExpiredJWTException e) {
            throw new KeycloakTokenException(clip(e.getMessage()), true);
        } catch (KeySourceException e) {
            throw new KeycloakException("cannot check the token: " + e.getMessage(), e);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new KeycloakTokenException(clip(e.getMessage()));
        }
        KeycloakConfig.Realm realm = trusted.realm();
        Instant now = clock.instant();
        Instant iat = claims.getIssueTime().toInstant();
        if (iat.isAfter(now.plusSeconds(CLOCK_SKEW_SECONDS))) {
            throw new KeycloakTokenException("issued in the future (" + iat + ")");
        }
        // azp, not aud: Keycloak adds a client to aud whenever the user holds one of its roles, so a token another
        // application received would name Portier too and could be replayed here.
        Object azp = claims.getClaim("azp");
        if (!realm.clientId().equals(azp)) {
            throw new KeycloakTokenException("issued to client " + clip(String.valueOf(azp)) + ", not to "
                    + realm.clientId());
        }
        String username = stringClaim(claims, "preferred_username");
        return new VerifiedToken(realm.name(), username, claims.getSubject(), strings(claims.getClaim("groups")),
                roles(claims.getClaim("realm_access")), clientRoles(claims.getClaim("resource_access"), realm.clientId()),
                iat, claims.getExpirationTime().toInstant(), claims.getJWTID());
    }

    private static DefaultJWTProcessor<SecurityContext> processor(KeycloakConfig config, KeycloakConfig.Realm realm,
            RealmKeys keys, Clock clock) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        // Keycloak's access tokens say typ JWT in the header; the claim typ=Bearer below tells them from ID tokens.
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        Set<JWSAlgorithm> algorithms = realm.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys.source(realm.name())));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null,
                new JWTClaimsSet.Builder().issuer(issuer(config, realm.name())).claim("typ", "Bearer").build(),
                Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.ISSUED_AT, JWTClaimNames.EXPIRATION_TIME,
                        "preferred_username"), null) {
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
     * The {@code iss} a token claims, unverified: only to route it to the right validator. Empty when the text is
     * not a JWT (or an encrypted one).
     */
    public static Optional<String> unverifiedIssuer(String token) {
        try {
            // Plain (alg: none) tokens are routed too, so the processor refuses them with its clear reason.
            JWT jwt = JWTParser.parse(token);
            JWTClaimsSet claims = jwt instanceof EncryptedJWT ? null : jwt.getJWTClaimsSet();
            return claims == null ? Optional.empty() : Optional.ofNullable(claims.getIssuer());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    private static String unverifiedAlgorithm(String token) {
        try {
            return JWTParser.parse(token).getHeader().getAlgorithm().getName();
        } catch (ParseException | RuntimeException e) {
            return "an unreadable algorithm";
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) throws KeycloakTokenException {
        if (claims.getClaim(name) instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new KeycloakTokenException("claim " + name + " is missing");
    }

    private static Set<String> strings(Object value) {
        Set<String> out = new HashSet<>();
        if (value instanceof Collection<?> c) {
            c.stream().filter(String.class::isInstance).map(String.class::cast).forEach(out::add);
        }
        return out;
    }

    private static Set<String> roles(Object access) {
        return access instanceof Map<?, ?> m ? strings(m.get("roles")) : Set.of();
    }

    private static Set<String> clientRoles(Object resourceAccess, String clientId) {
        return resourceAccess instanceof Map<?, ?> m ? roles(m.get(clientId)) : Set.of();
    }

    static String clip(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(160).forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }
}
