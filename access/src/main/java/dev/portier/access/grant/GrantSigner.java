package dev.portier.access.grant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Date;
import java.util.Optional;

/**
 * Signs grants as compact JWS (ES256, Nimbus JOSE) so that a recording made under a grant carries proof of
 * who approved what, for how long, and why; anyone with the public key can check it offline. ES256 needs
 * nothing beyond the JDK's EC support.
 */
public final class GrantSigner {
    public static final String ISSUER = "portier";
    public static final JOSEObjectType TYPE = new JOSEObjectType("portier-grant+jwt");

    private final ECKey key;
    private final ECDSASigner signer;
    private final ECDSAVerifier verifier;

    private GrantSigner(ECKey key) throws JOSEException {
        this.key = key;
        this.signer = new ECDSASigner(key);
        this.verifier = new ECDSAVerifier(key.toPublicJWK());
    }

    /** A new P-256 key pair. */
    public static GrantSigner generate() {
        try {
            return new GrantSigner(new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key: " + e.getMessage(), e);
        }
    }

    /** From the private JWK JSON this class produced ({@link #privateJwk()}). */
    public static GrantSigner fromPrivateJwk(String json) throws ParseException {
        try {
            return new GrantSigner(ECKey.parse(json));
        } catch (JOSEException e) {
            throw new ParseException("not a usable EC key: " + e.getMessage(), 0);
        }
    }

    /** The private key as JWK JSON, for the vault only. */
    public String privateJwk() {
        return key.toJSONString();
    }

    /** The public key as JWK JSON, for export and offline verification. */
    public String publicJwk() {
        return key.toPublicJWK().toJSONString();
    }

    /** The signed statement of {@code grant}: user, target, account, window, approvers, reason, ticket. */
    public String sign(Grant grant) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .jwtID(grant.id())
                .subject(grant.user())
                .notBeforeTime(Date.from(grant.start()))
                .expirationTime(Date.from(grant.end()))
                .issueTime(new Date())
                .claim("request", grant.requestId())
                .claim("target", grant.target())
                .claim("account", grant.account())
                .claim("policy", grant.policy())
                .claim("approvers", grant.approvers())
                .claim("reason", grant.reason())
                .claim("ticket", grant.ticket())
                .claim("singleUse", grant.singleUse())
                .claim("breakGlass", grant.breakGlass())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE).keyID(key.getKeyID()).build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign grant " + grant.id() + ": " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /**
     * Checks a grant statement's signature against {@code publicJwk} (the exported public key).
     *
     * @return the claims when the signature is valid and made with ES256 by this key; empty otherwise
     */
    public static Optional<JWTClaimsSet> verify(String jws, String publicJwk) {
        try {
            ECKey pub = ECKey.parse(publicJwk);
            SignedJWT jwt = SignedJWT.parse(jws);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !TYPE.equals(jwt.getHeader().getType())) {
                return Optional.empty();
            }
            if (!jwt.verify(new ECDSAVerifier(pub))) {
                return Optional.empty();
            }
            return Optional.of(jwt.getJWTClaimsSet());
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }

    /** Same as {@link #verify(String, String)} with this signer's own public key. */
    public Optional<JWTClaimsSet> verify(String jws) {
        try {
            SignedJWT jwt = SignedJWT.parse(jws);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            return Optional.of(jwt.getJWTClaimsSet());
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }
}
