package dev.portier.recorder.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.text.ParseException;
import java.util.Optional;

/**
 * The evidence key: signs checkpoints of recordings and of the audit log as compact JWS, ES256 over P-256 (Nimbus
 * JOSE; Ed25519 would need Google Tink in Nimbus). The key id is the key's JWK thumbprint (RFC 7638), so a
 * verifier can tell which exported key a checkpoint needs. Thread-safe.
 */
public final class EvidenceSigner implements CheckpointSigner {
    /** The JWS {@code typ} header of every checkpoint. */
    public static final JOSEObjectType TYPE = new JOSEObjectType("portier-checkpoint+jws");

    private final ECKey key;
    private final ECDSASigner signer;
    private final JWSHeader header;

    private EvidenceSigner(ECKey key) throws JOSEException {
        if (!Curve.P_256.equals(key.getCurve()) || !key.isPrivate()) {
            throw new JOSEException("the evidence key must be a private P-256 key");
        }
        this.key = key.getKeyID() != null ? key : new ECKey.Builder(key).keyIDFromThumbprint().build();
        this.signer = new ECDSASigner(this.key);
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE).keyID(this.key.getKeyID()).build();
    }

    /** A new P-256 key pair. */
    public static EvidenceSigner generate() {
        try {
            return new EvidenceSigner(new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key: " + e.getMessage(), e);
        }
    }

    /** From the private JWK JSON this class produced ({@link #privateJwk()}). */
    public static EvidenceSigner fromPrivateJwk(String json) throws ParseException {
        try {
            return new EvidenceSigner(ECKey.parse(json));
        } catch (JOSEException e) {
            throw new ParseException("not a usable evidence key: " + e.getMessage(), 0);
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

    public String keyId() {
        return key.getKeyID();
    }

    @Override
    public String sign(byte[] payload) {
        JWSObject jws = new JWSObject(header, new Payload(payload));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a checkpoint: " + e.getMessage(), e);
        }
        return jws.serialize();
    }

    /**
     * Checks a checkpoint JWS against a public key.
     *
     * @return the signed payload bytes when {@code jws} is a compact ES256 JWS of type {@link #TYPE} whose
     *         signature {@code publicKey} verifies; empty otherwise (malformed, other algorithm, other key)
     */
    public static Optional<byte[]> verify(String jws, ECKey publicKey) {
        try {
            JWSObject parsed = JWSObject.parse(jws);
            if (!JWSAlgorithm.ES256.equals(parsed.getHeader().getAlgorithm())
                    || !TYPE.equals(parsed.getHeader().getType())) {
                return Optional.empty();
            }
            if (!parsed.verify(new ECDSAVerifier(publicKey))) {
                return Optional.empty();
            }
            return Optional.of(parsed.getPayload().toBytes());
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** Parses an exported public key ({@link #publicJwk()}). */
    public static ECKey parsePublicJwk(String json) throws ParseException {
        ECKey k = ECKey.parse(json);
        if (!Curve.P_256.equals(k.getCurve())) {
            throw new ParseException("the evidence key is not a P-256 key", 0);
        }
        return k.toPublicJWK();
    }
}
