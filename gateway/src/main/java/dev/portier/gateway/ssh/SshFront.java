package dev.portier.gateway.ssh;

import dev.portier.access.identity.Identity;
import dev.portier.config.HostPort;
import dev.portier.gateway.core.GatewayContext;
import dev.portier.gateway.evidence.RecordingSearch;
import dev.portier.gateway.evidence.ReviewQueue;
import dev.portier.gateway.evidence.SpotCheckSampler;
import dev.portier.gateway.evidence.SpotChecks;
import dev.portier.gateway.keycloak.KeycloakIntegration;
import dev.portier.gateway.ssh.relay.UpstreamConnector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.global.KeepAliveHandler;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.UserAuthFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.global.NoMoreSessionsHandler;
import org.apache.sshd.server.session.ServerConnectionServiceFactory;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH front: a MINA {@link SshServer} with every default that matters for a bastion set explicitly
 * (MINA's defaults read the JVM user's authorized_keys, expose the local file system over SFTP and allow TCP
 * forwarding). Translates SSH into calls on the core; decides nothing itself.
 */
public final class SshFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshFront.class);

    /** Portier's own disk is never reachable over SSH; MINA insists on a factory, so it gets one that refuses. */
    private static final org.apache.sshd.common.file.FileSystemFactory NO_FILE_SYSTEM =
            new org.apache.sshd.common.file.FileSystemFactory() {
                @Override
                public Path getUserHomeDir(org.apache.sshd.common.session.SessionContext session) throws IOException {
                    throw new IOException("Portier exposes no file system");
                }

                @Override
                public java.nio.file.FileSystem createFileSystem(org.apache.sshd.common.session.SessionContext session)
                        throws IOException {
                    throw new IOException("Portier exposes no file system");
                }
            };

    private final GatewayContext ctx;
    private final SshServer server;
    private final UpstreamConnector connector;
    private final ExecutorService worker;
    /** Portier commands and inline requests may wait minutes for an approval: their own pool, never the worker's. */
    private final ExecutorService commandPool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "portier-command");
        t.setDaemon(true);
        return t;
    });
    private final SessionBroker broker;
    private final PortierCommands commands;
    private final ForwardingRefusal forwarding;
    private final String hostKeyLine;
    private final KeycloakIntegration keycloak;

    public SshFront(GatewayContext ctx, Path dataDir) throws IOException {
        this(ctx, dataDir, null, null);
    }

    /**
     * @param tokens   issues REST API tokens for the {@code token} command; null leaves the command unavailable
     * @param keycloak Keycloak users' SSH login (registered keys, device sign-in); null without Keycloak
     */
    public SshFront(GatewayContext ctx, Path dataDir, dev.portier.gateway.api.TokenService tokens,
            KeycloakIntegration keycloak) throws IOException {
        this.ctx = ctx;
        this.keycloak = keycloak;
        this.connector = new UpstreamConnector(ctx.config().targets());
        this.worker = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "portier-worker");
            t.setDaemon(true);
            return t;
        });
        SpotChecks spotChecks = ctx.recordings() == null ? null : new SpotChecks(
                new SpotCheckSampler(() -> ctx.config().recording().spotCheck()),
                new ReviewQueue(dataDir.resolve("reviews")), ctx.recordings(), ctx.audit());
        this.broker = new SessionBroker(ctx, connector, worker, spotChecks);
        HostPort listen = ctx.config().server().sshListen();
        this.commands = new PortierCommands(ctx.policies(), "portier",
                ctx.access() == null ? null : new AccessCommands(ctx.access(), ctx.sessions()),
                tokens == null ? null : new TokenCommand(tokens),
                spotChecks == null ? null : new RecordingCommands(ctx.recordings(),
                        ctx.recordingIndex() == null ? null : new RecordingSearch(ctx.recordingIndex(), ctx.audit()),
                        ctx.audit(), spotChecks.queue()));
        this.forwarding = new ForwardingRefusal(ctx.audit());
        KeyPairProvider hostKeys = HostKeys.loadOrCreate(dataDir);
        this.server = build(listen, hostKeys);
        try {
            this.hostKeyLine = HostKeys.publicKeyLine(hostKeys);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the host key: " + e.getMessage(), e);
        }
    }

    private SshServer build(HostPort listen, KeyPairProvider hostKeys) {
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost(listen.host());
        s.setPort(listen.port());
        s.setKeyPairProvider(hostKeys);
        s.setCipherFactories(Algorithms.userFacingCiphers());
        s.setMacFactories(Algorithms.modernMacs());

        // Authentication: public keys of known identities, and with Keycloak the device sign-in inside
        // keyboard-interactive. No password, no host-based, no GSS.
        List<UserAuthFactory> methods = new ArrayList<>(List.of(UserAuthPublicKeyFactory.INSTANCE));
        if (keycloak != null) {
            // Keys registered in Keycloak are read before MINA checks a key (see KeyPrefetchingAuthService).
            s.setServiceFactories(List.of(new KeyPrefetchingAuthService.Factory(keycloak.sshKeys(),
                    keycloak.blocking()), ServerConnectionServiceFactory.INSTANCE));
        }
        if (keycloak != null && keycloak.deviceLogin().offered()) {
            methods.add(new DeviceLoginAuth.Factory(ctx, keycloak.deviceLogin()));
        }
        s.setUserAuthFactories(methods);
        s.setPublickeyAuthenticator(new IdentityKeyAuthenticator(ctx, keycloak == null ? null : keycloak.sshKeys()));
        s.setPasswordAuthenticator(null);
        s.setKeyboardInteractiveAuthenticator(null);
        s.setHostBasedAuthenticator(null);
        s.setGSSAuthenticator(null);

        // Channels: session channels only; forwarding of any kind is refused, audited and told to the user.
        List<ChannelFactory> channels = List.of(forwarding.sessionChannels(), forwarding.directTcpip());
        s.setChannelFactories(channels);
        s.setForwardingFilter(forwarding);
        s.setGlobalRequestHandlers(List.of(KeepAliveHandler.INSTANCE, NoMoreSessionsHandler.INSTANCE,
                forwarding.remoteForward()));
        s.setAgentFactory(null);
        s.setFileSystemFactory(NO_FILE_SYSTEM);

        s.setShellFactory(channel -> new SessionChannel(this, "shell", null));
        s.setCommandFactory((ChannelSession channel, String command) -> new SessionChannel(this, "exec", command));
        s.setSubsystemFactories(List.of(new SubsystemFactory() {
            @Override
            public String getName() {
                return "sftp";
            }

            @Override
            public Command createSubsystem(ChannelSession channel) {
                return new SessionChannel(SshFront.this, "subsystem", "sftp");
            }
        }));

        // Waiting for an approval happens during login in later releases: a generous auth timeout.
        CoreModuleProperties.AUTH_TIMEOUT.set(s, Duration.ofMinutes(10));
        CoreModuleProperties.IDLE_TIMEOUT.set(s, Duration.ofHours(2));
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(s, 10);
        CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(s, 16);
        CoreModuleProperties.SERVER_IDENTIFICATION.set(s, "Portier");
        CoreModuleProperties.WINDOW_SIZE.set(s, 4L * 1024 * 1024);
        s.addSessionListener(new AuditingSessionListener());
        return s;
    }

    public void start() throws IOException {
        server.start();
        LOG.info("SSH front listening on {}:{}", server.getHost(), server.getPort());
    }

    public String hostKeyLine() {
        return hostKeyLine;
    }

    public int port() {
        return server.getPort();
    }

    GatewayContext context() {
        return ctx;
    }

    java.util.concurrent.Executor worker() {
        return worker;
    }

    java.util.concurrent.Executor commandPool() {
        return commandPool;
    }

    SessionBroker broker() {
        return broker;
    }

    PortierCommands commands() {
        return commands;
    }

    @Override
    public void close() throws IOException {
        ctx.sessions().terminateAll("Portier is shutting down");
        try {
            server.stop(false);
        } finally {
            connector.close();
            worker.shutdownNow();
            commandPool.shutdownNow();
        }
    }

    /** Audits logins and cleans up the target side when a user's connection ends. */
    private final class AuditingSessionListener implements SessionListener {
        @Override
        public void sessionEvent(Session session, Event event) {
            if (event != Event.Authenticated || !(session instanceof ServerSession ss)) {
                return;
            }
            GatewaySession gs = GatewaySession.of(ss);
            gs.markAuthenticated();
            Identity id = gs.identity();
            if (id == null) {
                // Authenticated by a method that named no identity: impossible by construction; fail closed.
                session.close(true);
                return;
            }
            ctx.audit().record("auth.success", id.user(), gs.login().target(), gs.id(), "allow", gs.method(),
                    Map.of("client", gs.remoteAddress(), "login", gs.login().display(), "realm", id.realm(),
                            "method", gs.method()));
        }

        @Override
        public void sessionClosed(Session session) {
            if (!(session instanceof ServerSession ss)) {
                return;
            }
            GatewaySession gs = GatewaySession.of(ss);
            gs.closeUpstreams();
            // A device sign-in audits each refused attempt itself; only what is left unsaid is recorded here.
            if (gs.identity() == null && (gs.failure() != null || gs.login() != null && !gs.anyFailureAudited())) {
                String user = gs.login() == null ? null : gs.login().user();
                ctx.audit().record("auth.failure", user, gs.login() == null ? null : gs.login().target(), gs.id(),
                        "deny", gs.failure() == null ? "no accepted key" : gs.failure(),
                        Map.of("client", gs.remoteAddress()));
            }
        }
    }

    /** Fingerprint of a public key for logs and audit: never the key itself in messages meant for users. */
    static String fingerprint(java.security.PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    static String openSsh(java.security.PublicKey key) {
        return PublicKeyEntry.toString(key);
    }

    static void disconnect(ServerSession session, String message) {
        try {
            session.disconnect(SshConstants.SSH2_DISCONNECT_ILLEGAL_USER_NAME, message);
        } catch (IOException e) {
            session.close(true);
        }
    }
}
