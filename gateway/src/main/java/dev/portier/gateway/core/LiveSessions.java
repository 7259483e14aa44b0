package dev.portier.gateway.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The sessions open right now on this node: for {@code sessions}, {@code kill} and grant enforcement.
 * Thread-safe.
 */
public final class LiveSessions {
    /**
     * A live session channel as others see it.
     *
     * @param grantId    the grant it runs under, or null under a standing policy
     * @param end        when it must end (the grant's end), or null
     * @param notifier   writes one line to the user's terminal (stderr), never into the target
     * @param terminator ends it with a message to the user
     */
    public record LiveSession(String id, String sessionId, String user, String target, String account, Instant start,
            String grantId, Instant end, Consumer<String> notifier, Consumer<String> terminator) {
    }

    private final Map<String, LiveSession> sessions = new ConcurrentHashMap<>();

    public void add(LiveSession s) {
        sessions.put(s.id(), s);
    }

    public void remove(String id) {
        sessions.remove(id);
    }

    public List<LiveSession> list() {
        List<LiveSession> out = new ArrayList<>(sessions.values());
        out.sort(Comparator.comparing(LiveSession::start));
        return out;
    }

    /** Ends the sessions that {@code which} selects; returns how many. */
    public int terminate(java.util.function.Predicate<LiveSession> which, String message) {
        int n = 0;
        for (LiveSession s : list()) {
            if (which.test(s)) {
                s.terminator().accept(message);
                n++;
            }
        }
        return n;
    }

    /** Ends every live session (shutdown). */
    public void terminateAll(String message) {
        terminate(s -> true, message);
    }
}
