package dev.portier.gateway.core;

import dev.portier.gateway.core.LiveSessions.LiveSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends sessions on time: warns the user 5 minutes and 1 minute before the grant ends (on their terminal,
 * never into the target) and closes the session within a second of the end. One periodic check on wall-clock
 * time rather than one timer per session: it survives clock adjustments and costs nothing per idle session.
 */
public final class SessionEnforcer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEnforcer.class);
    static final Duration PERIOD = Duration.ofMillis(200);
    private static final Duration[] WARNINGS = {Duration.ofMinutes(5), Duration.ofMinutes(1)};

    private final LiveSessions sessions;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<String, Set<Duration>> warned = new ConcurrentHashMap<>();

    public SessionEnforcer(LiveSessions sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portier-enforcer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    void check() {
        try {
            Instant now = clock.instant();
            for (LiveSession s : sessions.list()) {
                if (s.end() == null) {
                    continue;
                }
                Duration left = Duration.between(now, s.end());
                if (left.isNegative() || left.isZero()) {
                    warned.remove(s.id());
                    s.terminator().accept("your access to " + s.target() + "/" + s.account() + " ended at "
                            + s.end() + "; the session is closed");
                    continue;
                }
                for (Duration w : WARNINGS) {
                    if (left.compareTo(w) <= 0 && warned.computeIfAbsent(s.id(), k -> ConcurrentHashMap.newKeySet())
                            .add(w)) {
                        s.notifier().accept("portier: your access to " + s.target() + "/" + s.account() + " ends in "
                                + (left.toSeconds() + 59) / 60 + " minute(s), at " + s.end());
                    }
                }
            }
            warned.keySet().removeIf(id -> sessions.list().stream().noneMatch(s -> s.id().equals(id)));
        } catch (RuntimeException e) {
            LOG.error("session enforcement check failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
