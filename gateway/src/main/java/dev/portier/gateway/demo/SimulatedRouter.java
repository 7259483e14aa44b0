package dev.portier.gateway.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.global.KeepAliveHandler;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.hostbased.RejectAllHostBasedAuthenticator;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.RejectAllPublickeyAuthenticator;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.global.NoMoreSessionsHandler;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * A small IOS-like router reachable over SSH on loopback: the demo target of {@code ./portier demo}, and a test
 * target that, like real network gear, accepts only password and keyboard-interactive logins for one account.
 *
 * <pre>{@code
 * try (SimulatedRouter router = SimulatedRouter.start("rtr-lab-01", 0, data.resolve("rtr.key"), "admin", pw)) {
 *     String address = router.host() + ":" + router.port();   // a target's address
 *     String hostKey = router.hostKeyLine();                    // its pinned hostKey
 * }
 * }</pre>
 *
 * It offers shell (with or without PTY) and exec channels only: no forwarding, no agent or X11, no SFTP or
 * SCP, hence no access to the local file system.
 */
public final class SimulatedRouter implements AutoCloseable {

    /** The address the router listens on. */
    public static final String HOST = "127.0.0.1";

    private final SshServer server;
    private final ExecutorService workers;
    private final String hostname;
    private final String hostKeyLine;
    private final int port;

    private SimulatedRouter(SshServer server, ExecutorService workers, String hostname, String hostKeyLine, int port) {
        this.server = server;
        this.workers = workers;
        this.hostname = hostname;
        this.hostKeyLine = hostKeyLine;
        this.port = port;
    }

    /**
     * Starts a router on {@code 127.0.0.1:port}.
     *
     * @param hostname    the device name shown in prompts; letters, digits and hyphens, as IOS requires
     * @param port        the TCP port, or 0 for a free one (see {@link #port()})
     * @param hostKeyFile where the ed25519 host key is kept (OpenSSH format, created 0600 if missing, so the key
     *                    survives restarts and stays pinned); {@code null} for a key held in memory only
     * @param username    the one account that may log in
     * @param password    its password; only a digest of it is kept
     * @throws IOException when the port cannot be bound
     */
    public static SimulatedRouter start(String hostname, int port, Path hostKeyFile, String username, String password)
            throws IOException {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (hostname == null || !RouterCli.VALID_HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException("invalid router hostname '" + hostname
                    + "': use letters, digits and hyphens, starting with a letter");
        }
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(hostKeyFile);
        hostKeys.setAlgorithm(SecurityUtils.ED25519);
        String hostKeyLine = hostKeyLine(hostKeys, hostKeyFile);

        ExecutorService workers = Executors.newCachedThreadPool(daemonThreads(hostname));
        Instant bootTime = Instant.now();
        Clock clock = Clock.systemUTC();
        DevicePasswordAuthenticator authenticator = new DevicePasswordAuthenticator(username, password);

        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(HOST);
        server.setPort(port);
        server.setKeyPairProvider(hostKeys);
        server.setUserAuthFactories(
                List.of(UserAuthPasswordFactory.INSTANCE, UserAuthKeyboardInteractiveFactory.INSTANCE));
        server.setPasswordAuthenticator(authenticator);
        server.setKeyboardInteractiveAuthenticator(authenticator);
        server.setPublickeyAuthenticator(RejectAllPublickeyAuthenticator.INSTANCE);
        server.setHostBasedAuthenticator(RejectAllHostBasedAuthenticator.INSTANCE);
        server.setGSSAuthenticator(null);
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        server.setChannelFactories(List.of(ChannelSessionFactory.INSTANCE));
        server.setGlobalRequestHandlers(List.of(KeepAliveHandler.INSTANCE, NoMoreSessionsHandler.INSTANCE));
        server.setSubsystemFactories(List.of());
        server.setAgentFactory(null);
        server.setShellFactory(channel -> new RouterShell(workers, hostname, bootTime, clock));
        server.setCommandFactory(
                (channel, command) -> new RouterExec(workers, command, hostname, bootTime, clock));
        CoreModuleProperties.SERVER_IDENTIFICATION.set(server, "PortierSimRouter_1.0");
        CoreModuleProperties.AUTH_TIMEOUT.set(server, Duration.ofMinutes(1));
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(server, 6);
        CoreModuleProperties.IDLE_TIMEOUT.set(server, Duration.ofMinutes(30));
        CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(server, 10);
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            workers.shutdownNow();
            throw e;
        }
        return new SimulatedRouter(server, workers, hostname, hostKeyLine, boundPort(server));
    }

    public String hostname() {
        return hostname;
    }

    public String host() {
        return HOST;
    }

    /** The port actually bound, also when 0 was asked for. */
    public int port() {
        return port;
    }

    /** The host key as {@code ssh-ed25519 base64}, for pinning. */
    public String hostKeyLine() {
        return hostKeyLine;
    }

    /** Closes every session and stops listening. */
    @Override
    public void close() throws IOException {
        try {
            server.stop(true);
        } finally {
            workers.shutdownNow();
        }
    }

    private static String hostKeyLine(SimpleGeneratorHostKeyProvider hostKeys, Path hostKeyFile) throws IOException {
        // The provider logs and returns nothing when it can neither read nor generate a key.
        for (KeyPair pair : hostKeys.loadKeys(null)) {
            return PublicKeyEntry.toString(pair.getPublic());
        }
        throw new IOException("cannot load or create the ed25519 host key " + hostKeyFile
                + " of the simulated router; see the log for the cause");
    }

    private static int boundPort(SshServer server) {
        for (SocketAddress address : server.getBoundAddresses()) {
            if (address instanceof InetSocketAddress inet) {
                return inet.getPort();
            }
        }
        throw new IllegalStateException("the simulated router is not bound to any port");
    }

    private static ThreadFactory daemonThreads(String hostname) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "router-" + hostname + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
