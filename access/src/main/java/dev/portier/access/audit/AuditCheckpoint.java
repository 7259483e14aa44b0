package dev.portier.access.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Map;

/**
 * The audit log's signed checkpoint: an {@code audit.checkpoint} event in the chain whose {@code jws} field signs
 * the hash of the line before it (the chain head) and its own time. Format: {@code docs/evidence.md}. Stateless.
 */
final class AuditCheckpoint {
    static final String TYPE = "audit.checkpoint";
    static final String JWS_TYPE = "portier-checkpoint+jws";
    static final String PAYLOAD_TYPE = "portier-audit-checkpoint";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditCheckpoint() {
    }

    /**
     * The payload to sign for a checkpoint written at {@code time} after the line whose hash is {@code head};
     * {@code last}: written when the log was closed.
     */
    static byte[] payload(String head, Instant time, boolean last) {
        return ("{\"typ\":\"" + PAYLOAD_TYPE + "\",\"head\":\"" + head + "\",\"time\":\"" + time
                + "\",\"final\":" + last + "}").getBytes(StandardCharsets.US_ASCII);
    }

    static AuditEvent event(Instant time, boolean last, String jws) {
        return new AuditEvent(time, TYPE, "portier", null, null, null, null,
                last ? "signed checkpoint at close over the chain up to the line before"
                        : "signed checkpoint over the chain up to the line before",
                Map.of("final", last, "jws", jws));
    }

    /** @return null if the checkpoint line {@code c} verifies with {@code key}, else what is wrong */
    static String problem(AuditLine.Checked c, ECKey key) {
        JsonNode n = c.node();
        try {
            JWSObject jws = JWSObject.parse(n.path("jws").asText(""));
            if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm()) || jws.getHeader().getType() == null
                    || !JWS_TYPE.equals(jws.getHeader().getType().getType())
                    || !jws.verify(new ECDSAVerifier(key))) {
                return "checkpoint signature does not verify with the evidence key";
            }
            JsonNode claims = JSON.readTree(jws.getPayload().toBytes());
            if (claims == null || !PAYLOAD_TYPE.equals(claims.path("typ").asText())
                    || !c.prevHash().equals(claims.path("head").asText())
                    || !n.path("time").asText().equals(claims.path("time").asText())
                    || !n.path("final").isBoolean() || !claims.path("final").isBoolean()
                    || n.get("final").asBoolean() != claims.get("final").asBoolean()) {
                return "checkpoint signed for another point of the chain (or another log)";
            }
            return null;
        } catch (ParseException | JOSEException | IOException | IllegalStateException e) {
            return "checkpoint signature is malformed";
        }
    }
}
