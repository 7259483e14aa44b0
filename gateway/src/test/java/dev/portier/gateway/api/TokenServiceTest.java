package dev.portier.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.portier.access.audit.AuditEvent;
import dev.portier.access.audit.AuditException;
import dev.portier.access.identity.Identity;
import dev.portier.access.identity.IdentityProvider;
import dev.portier.gateway.core.Auditor;
import dev.portier.vault.Vault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issuing and checking API tokens, without a network. */
class TokenServiceTest {
    private static final Identity ALICE = new Identity("alice", "employees", Set.of("netops"), Set.of("operator"));
    private final Map<String, Identity> people = new java.util.HashMap<>(Map.of("alice", ALICE));
    private final List<AuditEvent> events = new ArrayList<>();
    private final IdentityProvider identities = new IdentityProvider() {
        @Override
        public Optional<Identity> authenticateByPublicKey(String user, String key) {
            return Optional.empty();
        }

        @Override
        public Optional<Identity> lookup(String user) {
            return Optional.ofNullable(people.get(user));
        }

        @Override
        public List<Identity> all() {
            return List.copyOf(people.values());
        }
    };

    private TokenService service(Clock clock) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        return new TokenService(key, identities, new Auditor(events::add), clock);
    }

    @Test
    void issuedTokenCarriesTheContractClaimsAndAuthenticates() throws Exception {
        TokenService tokens = service(Clock.systemUTC());
        IssuedToken t = tokens.issue(ALICE, TokenService.DEFAULT_TTL);
        var claims = SignedJWT.parse(t.token()).getJWTClaimsSet();
        assertEquals("portier", claims.getIssuer());
        assertEquals(List.of("portier-api"), claims.getAudience());
        assertEquals("alice", claims.getSubject());
        assertEquals("employees", claims.getClaim("realm"));
        assertEquals(t.jti(), claims.getJWTID());
        assertEquals(Duration.ofMinutes(15), Duration.between(claims.getIssueTime().toInstant(),
                claims.getExpirationTime().toInstant()));
        assertEquals("ES256", SignedJWT.parse(t.token()).getHeader().getAlgorithm().getName());
        assertEquals(ALICE, tokens.authenticate(t.token()));
        assertFalse(t.toString().contains(t.token()), "the token never reaches a log line through toString");
    }

    @Test
    void identityComesFromTheSourceAtRequestTime() throws Exception {
        TokenService tokens = service(Clock.systemUTC());
        String token = tokens.issue(ALICE, Duration.ofMinutes(5)).token();
        Identity promoted = new Identity("alice", "employees", Set.of("netops"), Set.of("operator", "approver"));
        people.put("alice", promoted);
        assertEquals(promoted, tokens.authenticate(token));
        people.remove("alice");
        assertThrows(TokenException.class, () -> tokens.authenticate(token));
    }

    @Test
    void lifetimeIsBetweenOneMinuteAndOneHour() throws Exception {
        TokenService tokens = service(Clock.systemUTC());
        assertThrows(TokenException.class, () -> tokens.issue(ALICE, Duration.ofMinutes(61)));
        assertThrows(TokenException.class, () -> tokens.issue(ALICE, Duration.ofSeconds(30)));
        tokens.issue(ALICE, Duration.ofHours(1));
    }

    @Test
    void clockSkewOfThirtySecondsIsTolerated() throws Exception {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        String token = new TokenService(key, identities, new Auditor(events::add), Clock.fixed(t0, ZoneOffset.UTC))
                .issue(ALICE, Duration.ofMinutes(1)).token();
        TokenService at = new TokenService(key, identities, new Auditor(events::add),
                Clock.fixed(t0.plusSeconds(60 + 25), ZoneOffset.UTC));
        assertEquals(ALICE, at.authenticate(token));
        TokenService late = new TokenService(key, identities, new Auditor(events::add),
                Clock.fixed(t0.plusSeconds(60 + 35), ZoneOffset.UTC));
        assertTrue(assertThrows(TokenException.class, () -> late.authenticate(token)).expired());
        TokenService early = new TokenService(key, identities, new Auditor(events::add),
                Clock.fixed(t0.minusSeconds(35), ZoneOffset.UTC));
        assertThrows(TokenException.class, () -> early.authenticate(token));
    }

    @Test
    void issuingIsAuditedByIdAndFailsClosed() throws Exception {
        TokenService tokens = service(Clock.systemUTC());
        IssuedToken t = tokens.issue(ALICE, TokenService.DEFAULT_TTL);
        AuditEvent e = events.get(events.size() - 1);
        assertEquals("token.issued", e.type());
        assertEquals(t.jti(), e.details().get("jti"));
        assertFalse(e.toString().contains(t.token()));
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        TokenService broken = new TokenService(key, identities, new Auditor(ev -> {
            throw new AuditException("disk full");
        }), Clock.systemUTC());
        assertThrows(TokenException.class, () -> broken.issue(ALICE, TokenService.DEFAULT_TTL));
    }

    @Test
    void keyIsKeptInTheVaultApartFromTheGrantKey(@TempDir Path dir) throws Exception {
        Vault vault = Vault.open(dir);
        TokenService first = TokenService.open(vault, identities, new Auditor(events::add), Clock.systemUTC());
        String token = first.issue(ALICE, TokenService.DEFAULT_TTL).token();
        TokenService again = TokenService.open(Vault.open(dir), identities, new Auditor(events::add), Clock.systemUTC());
        assertEquals(ALICE, again.authenticate(token), "the key survives a restart");
        assertTrue(vault.systemSecret(TokenService.KEY_NAME).isPresent());
        assertFalse(vault.list().stream().anyMatch(v -> v.toString().contains(TokenService.KEY_NAME)),
                "a system secret is never listed with credentials");
    }
}
