package dev.portier.gateway.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.identity.Identity;
import dev.portier.config.KeycloakConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Session and sign-in state lifetimes, on a clock the test moves. */
class PortalSessionsTest {
    private static final Identity KATE = new Identity("kate", "employees", Set.of("netops"), Set.of("operator"));
    private final MovingClock clock = new MovingClock();
    private final PortalSessions sessions = new PortalSessions(new KeycloakConfig.Portal(Duration.ofMinutes(10),
            Duration.ofHours(1)), null, clock);

    @Test
    void sessionIdIsOpaqueAndFindsTheSession() {
        String id = sessions.create(KATE, "employees", "kate", "sub-1").orElseThrow();
        assertTrue(id.matches("[A-Za-z0-9_-]{43}"), id);
        assertEquals("kate", sessions.find(id).orElseThrow().user());
    }

    @Test
    void forgedOrMalformedCookieFindsNothing() {
        sessions.create(KATE, "employees", "kate", "sub-1");
        assertFalse(sessions.find(PortalSessions.random()).isPresent());
        assertFalse(sessions.find("short").isPresent());
        assertFalse(sessions.find(null).isPresent());
    }

    @Test
    void idleSessionExpires() {
        String id = sessions.create(KATE, "employees", "kate", "sub-1").orElseThrow();
        clock.advance(Duration.ofMinutes(9));
        assertTrue(sessions.find(id).isPresent(), "used within the idle timeout");
        clock.advance(Duration.ofMinutes(9));
        assertTrue(sessions.find(id).isPresent(), "each use restarts the idle timeout");
        clock.advance(Duration.ofMinutes(10));
        assertFalse(sessions.find(id).isPresent());
        clock.advance(Duration.ofSeconds(-1));
        assertFalse(sessions.find(id).isPresent(), "an expired session is gone, not only hidden");
    }

    @Test
    void sessionEndsAtItsMaximumAgeEvenWhenUsed() {
        String id = sessions.create(KATE, "employees", "kate", "sub-1").orElseThrow();
        for (int i = 0; i < 11; i++) {
            clock.advance(Duration.ofMinutes(5));
            assertTrue(sessions.find(id).isPresent());
        }
        clock.advance(Duration.ofMinutes(5));
        assertFalse(sessions.find(id).isPresent(), "one hour after sign-in");
    }

    @Test
    void leaverSessionsEndAndOthersStay() {
        String kate = sessions.create(KATE, "employees", "kate", "sub-1").orElseThrow();
        String sam = sessions.create(new Identity("sam", "employees", Set.of(), Set.of()), "employees", "sam", "sub-2")
                .orElseThrow();
        assertEquals(Set.of("kate", "sam"), sessions.users());
        assertEquals(1, sessions.endUser("kate"));
        assertFalse(sessions.find(kate).isPresent());
        assertTrue(sessions.find(sam).isPresent());
    }

    @Test
    void csrfTokenMustMatchExactly() {
        String id = sessions.create(KATE, "employees", "kate", "sub-1").orElseThrow();
        PortalSessions.Session s = sessions.find(id).orElseThrow();
        assertTrue(PortalSessions.csrfMatches(s, s.csrf()));
        assertFalse(PortalSessions.csrfMatches(s, null));
        assertFalse(PortalSessions.csrfMatches(s, s.csrf().substring(1)));
        assertFalse(PortalSessions.csrfMatches(s, id), "the session id is not the CSRF token");
    }

    @Test
    void signInStateIsSingleUse() {
        LoginStates states = new LoginStates(clock);
        assertTrue(states.put("state-1", "employees", "nonce", "verifier", "binding"));
        assertEquals("nonce", states.take("state-1").orElseThrow().nonce());
        assertFalse(states.take("state-1").isPresent(), "a replayed state finds nothing");
        assertFalse(states.take(null).isPresent());
    }

    @Test
    void signInStateExpires() {
        LoginStates states = new LoginStates(clock);
        states.put("state-1", "employees", "nonce", "verifier", "binding");
        clock.advance(LoginStates.TTL);
        assertFalse(states.take("state-1").isPresent());
    }

    @Test
    void pendingSignInsAreBounded() {
        LoginStates states = new LoginStates(clock);
        for (int i = 0; i < LoginStates.MAX; i++) {
            assertTrue(states.put("s" + i, "employees", "n", "v", "b"));
        }
        assertFalse(states.put("one-more", "employees", "n", "v", "b"), "a flood of /login is refused");
        clock.advance(LoginStates.TTL);
        assertTrue(states.put("later", "employees", "n", "v", "b"), "expired ones make room");
    }

    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-03-01T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
