package dev.portier.gateway.portal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-ins under way: for each {@code state} sent to Keycloak, the realm, nonce and PKCE verifier, and the value of
 * the pre-login cookie of the browser that started it. A state is taken once ({@link #take} removes it, whatever the
 * outcome), lives {@link #TTL}, and at most {@link #MAX} are kept, so a flood of {@code /login} cannot fill memory.
 * Thread-safe.
 */
final class LoginStates {
    static final Duration TTL = Duration.ofMinutes(10);
    static final int MAX = 10_000;

    /** One sign-in under way; all values are secrets of this sign-in, never logged. */
    record Pending(String realm, String nonce, String verifier, String binding, Instant expires) {
        @Override
        public String toString() {
            return "Pending[" + realm + ", until " + expires + "]";
        }
    }

    private final Map<String, Pending> byState = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginStates(Clock clock) {
        this.clock = clock;
    }

    /** @return false when too many sign-ins are under way (the caller answers 503) */
    boolean put(String state, String realm, String nonce, String verifier, String binding) {
        Instant now = clock.instant();
        if (byState.size() >= MAX) {
            byState.values().removeIf(p -> !now.isBefore(p.expires()));
            if (byState.size() >= MAX) {
                return false;
            }
        }
        byState.put(state, new Pending(realm, nonce, verifier, binding, now.plus(TTL)));
        return true;
    }

    /** The sign-in of {@code state}, removed: a state is good for one callback. Empty when unknown or expired. */
    Optional<Pending> take(String state) {
        Pending p = state == null ? null : byState.remove(state);
        return p == null || !clock.instant().isBefore(p.expires()) ? Optional.empty() : Optional.of(p);
    }
}
