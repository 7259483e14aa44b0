package dev.portier.access.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantSignerTest {
    private final GrantSigner signer = GrantSigner.generate();
    private final Grant grant = new Grant("g-1", "r-1", "alice", "rtr-1", "admin", "netops", Instant.parse(
            "2026-11-27T10:00:00Z"), Instant.parse("2026-11-27T12:00:00Z"), GrantState.ACTIVE, List.of("bob", "erin"),
            "BGP flap", "INC-42", false, false, null, null, null, null, null, 0);

    @Test
    void signedGrantVerifiesWithThePublicKeyAndStatesTheGrant() throws Exception {
        String jws = signer.sign(grant);
        JWTClaimsSet claims = GrantSigner.verify(jws, signer.publicJwk()).orElseThrow();
        assertEquals("alice", claims.getSubject());
        assertEquals("rtr-1", claims.getStringClaim("target"));
        assertEquals(List.of("bob", "erin"), claims.getStringListClaim("approvers"));
        assertEquals("INC-42", claims.getStringClaim("ticket"));
        assertEquals(grant.end(), claims.getExpirationTime().toInstant());
    }

    @Test
    void tamperedGrantStatementIsRejected() {
        String jws = signer.sign(grant);
        String[] parts = jws.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("alice", "mallo");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];
        assertTrue(GrantSigner.verify(forged, signer.publicJwk()).isEmpty());
    }

    @Test
    void statementSignedByAnotherKeyIsRejected() {
        String jws = GrantSigner.generate().sign(grant);
        assertTrue(GrantSigner.verify(jws, signer.publicJwk()).isEmpty());
    }

    @Test
    void unsignedStatementWithAlgNoneIsRejected() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"portier-grant+jwt\"}".getBytes());
        String payload = signer.sign(grant).split("\\.")[1];
        assertTrue(GrantSigner.verify(header + "." + payload + ".", signer.publicJwk()).isEmpty());
    }

    @Test
    void privateKeyRoundTripsThroughJwk() throws Exception {
        GrantSigner again = GrantSigner.fromPrivateJwk(signer.privateJwk());
        assertTrue(GrantSigner.verify(again.sign(grant), signer.publicJwk()).isPresent());
    }
}
