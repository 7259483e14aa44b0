package dev.portier.gateway.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.UserAuthFactory;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

/** MINA clients for tests: pinned to the router's host key, blind to ~/.ssh. */
final class RouterClients {

    static final Duration WAIT = Duration.ofSeconds(10);

    /** What one exec returned. */
    record ExecResult(Integer exit, String stdout, String stderr) {
    }

    private RouterClients() {
    }

    static SshClient start(SimulatedRouter router, List<UserAuthFactory> authMethods, UserInteraction interaction) {
        SshClient client = SshClient.setUpDefaultClient();
        String pinned = router.hostKeyLine();
        client.setServerKeyVerifier((session, address, key) -> PublicKeyEntry.toString(key).equals(pinned));
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        if (authMethods != null) {
            client.setUserAuthFactories(authMethods);
        }
        if (interaction != null) {
            client.setUserInteraction(interaction);
        }
        client.start();
        return client;
    }

    static SshClient start(SimulatedRouter router) {
        return start(router, null, null);
    }

    /** Connects and logs in with a password; fails the test if that is refused. */
    static ClientSession login(SshClient client, SimulatedRouter router, String user, String password)
            throws IOException {
        ClientSession session = client.connect(user, router.host(), router.port()).verify(WAIT).getSession();
        session.addPasswordIdentity(password);
        session.auth().verify(WAIT);
        return session;
    }

    static ExecResult exec(ClientSession session, String command) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(WAIT);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), WAIT);
            return new ExecResult(channel.getExitStatus(), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        }
    }
}
