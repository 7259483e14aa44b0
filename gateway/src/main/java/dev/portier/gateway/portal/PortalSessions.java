package dev.portier.gateway.portal;

import dev.portier.access.identity.Identity;
import dev.portier.config.KeycloakConfig;
import dev.portier.gateway.http.HttpCall;
import dev.portier.gateway.keycloak.KeycloakException;
import dev.portier.gateway.keycloak.KeycloakIdentities;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Server-side portal sessions. The browser holds only an opaque random id in {@value #COOKIE} ({@code __Host-}: set
 * by this origin over https, path {@code /}, no domain); the server keeps who it is under the id's SHA-256, so the
 * table itself holds nothing a browser could present. A session ends after the idle timeout, after its maximum age,
 * at logout, when its user leaves, and when Keycloak no longer confirms the user (disabled, deleted, or another
 * account of that name). Thread-safe.
 */
public final class PortalSessions {
    public static final String COOKIE = "__Host-portier-session";
    /** The header a state-changing API call with the session cookie must carry, holding the session's CSRF token. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final int MAX = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One signed-in browser. {@code csrf} is echoed in forms and the API header; it is not the session id. */
    public static final class Session {
        private final String hash;
        private final String user;
        private final String realm;
        private final String username;
        private final String subject;
        private final String csrf;
        private final Instant created;
        private volatile Instant lastSeen;

        Session(String hash, String user, String realm, String username, String subject, String csrf, Instant created) {
            this.hash = hash;
            this.user = user;
            this.realm = realm;
            this.username = username;
            this.subject = subject;
            this.csrf = csrf;
            this.created = created;
            this.lastSeen = created;
        }

        public String user() {
            return user;
        }

        public String csrf() {
            return csrf;
        }

        public Instant created() {
            return created;
        }
    }

    /** A live session and the identity Keycloak confirms for it now. */
    public record Resolved(Session session, Identity identity) {
    }

    private final Map<String, Session> byHash = new ConcurrentHashMap<>();
    private final KeycloakConfig.Portal limits;
    private final KeycloakIdentities identities;
    private final Clock clock;

    public PortalSessions(KeycloakConfig.Portal limits, KeycloakIdentities identities, Clock clock) {
        this.limits = limits;
        this.identities = identities;
        this.clock = clock;
    }

    /** 32 random bytes, base64url: session ids, states, nonces, verifiers, CSRF tokens. */
    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * A new session for a person Keycloak just signed in.
     *
     * @return the cookie value, or empty when {@value #MAX} sessions are open already
     */
    Optional<String> create(Identity identity, String realm, String username, String subject) {
        Instant now = clock.instant();
        if (byHash.size() >= MAX) {
            byHash.values().removeIf(s -> expired(s, now));
            if (byHash.size() >= MAX) {
                return Optional.empty();
            }
        }
        String id = random();
        String hash = hash(id);
        byHash.put(hash, new Session(hash, identity.user(), realm, username, subject, random(), now));
        return Optional.of(id);
    }

    /** The session a cookie value names, if it is live; each use counts as activity. */
    Optional<Session> find(String cookie) {
        if (cookie == null || cookie.length() != 43) {
            return Optional.empty();
        }
        Session s = byHash.get(hash(cookie));
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            byHash.remove(s.hash);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    /**
     * The session of the call's {@value #COOKIE} and its user as Keycloak describes them now (cached at most
     * {@code KeycloakIdentities.TTL}); a user Keycloak no longer confirms ends the session.
     *
     * @throws KeycloakException when Keycloak cannot be asked (the caller refuses: fail closed)
     */
    public Optional<Resolved> resolve(HttpCall call) throws KeycloakException {
        Optional<Session> s = find(cookie(call, COOKIE));
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Optional<KeycloakIdentities.Known> now = identities.known(s.get().realm, s.get().username);
        if (now.isEmpty() || !now.get().id().equals(s.get().subject)
                || !now.get().identity().user().equals(s.get().user)) {
            byHash.remove(s.get().hash);
            return Optional.empty();
        }
        return Optional.of(new Resolved(s.get(), now.get().identity()));
    }

    /** Constant-time comparison of a presented CSRF token with the session's. */
    public static boolean csrfMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrf.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    void end(Session s) {
        byHash.remove(s.hash);
    }

    /** Ends every session of {@code user} (a leaver); returns how many. */
    public int endUser(String user) {
        int[] n = {0};
        byHash.values().removeIf(s -> {
            boolean match = s.user.equals(user);
            n[0] += match ? 1 : 0;
            return match;
        });
        return n[0];
    }

    /** The users with a live session, for leaver detection. */
    public Set<String> users() {
        Instant now = clock.instant();
        return byHash.values().stream().filter(s -> !expired(s, now)).map(s -> s.user).collect(Collectors.toSet());
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen.plus(limits.idleTimeout())) || !now.isBefore(s.created.plus(limits.maxAge()));
    }

    /** The value of cookie {@code name}; null when absent, malformed, or sent more than once (ambiguous). */
    static String cookie(HttpCall call, String name) {
        String header = call.header("Cookie");
        if (header == null) {
            return null;
        }
        List<Cookie> found;
        try {
            found = ServerCookieDecoder.STRICT.decodeAll(header).stream().filter(c -> c.name().equals(name)).toList();
        } catch (RuntimeException e) {
            return null;
        }
        return found.size() == 1 ? found.get(0).value() : null;
    }

    private static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
