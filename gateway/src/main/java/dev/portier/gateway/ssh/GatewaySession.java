package dev.portier.gateway.ssh;

import dev.portier.access.identity.Identity;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.server.session.ServerSession;

/**
 * What Portier knows about one user connection: its id, the parsed login and, once proven, the identity.
 * Stored on the MINA session as an attribute; immutable parts set once.
 */
public final class GatewaySession {
    static final AttributeKey<GatewaySession> KEY = new AttributeKey<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final Instant start = Instant.now();
    private final ServerSession session;
    private volatile SshLogin login;
    private volatile Identity identity;
    private volatile boolean authenticated;
    private volatile String failure;
    private volatile boolean failureAudited;
    private volatile String method = "publickey";
    private final Map<String, CompletableFuture<ClientSession>> upstreams = new ConcurrentHashMap<>();
    private final java.util.List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.Set<dev.portier.gateway.ssh.relay.Downstream> channels = ConcurrentHashMap.newKeySet();

    private GatewaySession(ServerSession session) {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        this.id = "s-" + HexFormat.of().formatHex(b);
        this.session = session;
    }

    static GatewaySession of(ServerSession session) {
        return session.computeAttributeIfAbsent(KEY, k -> new GatewaySession(session));
    }

    public String id() {
        return id;
    }

    public Instant start() {
        return start;
    }

    public ServerSession session() {
        return session;
    }

    public SshLogin login() {
        return login;
    }

    void login(SshLogin l) {
        this.login = l;
    }

    /** The identity proven by authentication; null before. */
    public Identity identity() {
        return authenticated ? identity : null;
    }

    /** The identity the last successful key check named (not yet proof of possession). */
    Identity candidate() {
        return identity;
    }

    void candidate(Identity i) {
        this.identity = i;
    }

    void markAuthenticated() {
        this.authenticated = identity != null;
    }

    public String remoteAddress() {
        return String.valueOf(session.getClientAddress());
    }

    /** The authenticated upstream session for {@code target/account}, opened once and shared by channels. */
    CompletableFuture<ClientSession> upstream(String key, Function<String, CompletableFuture<ClientSession>> opener) {
        return upstreams.computeIfAbsent(key, opener);
    }

    /** Closes every upstream session (the user's connection ended). */
    void closeUpstreams() {
        upstreams.values().forEach(f -> f.thenAccept(s -> s.close(false)));
        upstreams.clear();
    }

    /** A message for the user about something refused outside any channel (forwarding requests). */
    void notice(String message) {
        if (!channels.isEmpty()) {
            channels.forEach(d -> d.printErr("\r\n" + message + "\r\n"));
            return;
        }
        if (notices.size() < 16 && !notices.contains(message)) {
            notices.add(message);
        }
    }

    void channelStarted(dev.portier.gateway.ssh.relay.Downstream d) {
        takeNotices().forEach(n -> d.printErr(n + "\r\n"));
        channels.add(d);
    }

    void channelEnded(dev.portier.gateway.ssh.relay.Downstream d) {
        channels.remove(d);
    }

    /** Takes the pending notices; each is shown once, on the next channel's stderr. */
    java.util.List<String> takeNotices() {
        java.util.List<String> out = java.util.List.copyOf(notices);
        notices.removeAll(out);
        return out;
    }

    /** Why the last authentication attempt failed, for the audit event. */
    String failure() {
        return failure;
    }

    void failure(String why) {
        this.failure = why;
    }

    /** The attempt that failed was audited on its own (a device sign-in): the end of the connection adds nothing. */
    void failureAudited() {
        this.failure = null;
        this.failureAudited = true;
    }

    boolean anyFailureAudited() {
        return failureAudited;
    }

    /** How the user proved who they are: {@code publickey} or {@code device}. */
    public String method() {
        return method;
    }

    void method(String m) {
        this.method = m;
    }

    /** The person's name for audit lines: the identity's canonical name once proven, else the name typed. */
    String userName() {
        Identity id = identity();
        return id != null ? id.user() : login == null ? null : login.user();
    }
}
