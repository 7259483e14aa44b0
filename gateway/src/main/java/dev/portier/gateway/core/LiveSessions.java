package dev.portier.gateway.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions open right now on this node, for {@code sessions} and, later, {@code kill} and grant
 * enforcement. Thread-safe.
 */
public final class LiveSessions {
    /** A session as others see it; {@code terminator} ends it with a message to the user. */
    public record LiveSession(String id, String user, String target, String account, Instant start,
            java.util.function.Consumer<String> terminator) {
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

    public int size() {
        return sessions.size();
    }

    /** Ends every live session (shutdown). */
    public void terminateAll(String message) {
        sessions.values().forEach(s -> s.terminator().accept(message));
    }
}
