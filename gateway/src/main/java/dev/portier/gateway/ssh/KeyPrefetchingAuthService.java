package dev.portier.gateway.ssh;

import dev.portier.gateway.keycloak.KeycloakException;
import dev.portier.gateway.keycloak.KeycloakSshKeys;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.session.ServerUserAuthService;
import org.apache.sshd.server.session.ServerUserAuthServiceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA's user-auth service, reading the keys a Keycloak user registered before it looks at their first
 * {@code none} or {@code publickey} request. MINA checks public keys on its I/O thread and MINA 2.20 refuses an
 * asynchronous answer for {@code publickey} (an asynchronous "yes" used to skip the signature check), so the keys
 * must be in {@link KeycloakSshKeys}' cache before MINA sees the request. For a login name whose keys are not cached,
 * the request (a copy: MINA reuses its buffer) waits while a worker reads them, then goes to MINA's own processing,
 * on that worker, under the service's lock; messages that arrive meanwhile queue behind it, so the order holds. The
 * client waits for the answer anyway. Local users and cached names are processed at once, as before.
 */
final class KeyPrefetchingAuthService extends ServerUserAuthService {
    private static final Logger LOG = LoggerFactory.getLogger(KeyPrefetchingAuthService.class);
    private static final Set<String> KEY_METHODS = Set.of("none", "publickey");
    private final KeycloakSshKeys keys;
    private final Executor blocking;
    /** Requests waiting for a key read, in arrival order; guarded by this. */
    private final Deque<Buffer> waiting = new ArrayDeque<>();

    KeyPrefetchingAuthService(Session session, KeycloakSshKeys keys, Executor blocking) throws IOException {
        super(session);
        this.keys = keys;
        this.blocking = blocking;
    }

    @Override
    public synchronized void process(int cmd, Buffer buffer) throws Exception {
        if (!waiting.isEmpty()) {
            waiting.add(copy(buffer));
            return;
        }
        Optional<String> user = cmd == SshConstants.SSH_MSG_USERAUTH_REQUEST ? keyRequestUser(buffer) : Optional.empty();
        if (user.isEmpty() || keys.answersFromCache(user.get())) {
            super.process(cmd, buffer);
            return;
        }
        waiting.add(copy(buffer));
        try {
            blocking.execute(() -> readThenProcess(user.get()));
        } catch (RejectedExecutionException e) {
            waiting.clear();
            super.process(cmd, buffer); // Portier is stopping: MINA answers from an empty cache, which refuses
        }
    }

    private void readThenProcess(String user) {
        try {
            keys.load(user);
        } catch (KeycloakException e) {
            GatewaySession.of(getServerSession()).failure(e.getMessage());
            LOG.warn("cannot read the SSH keys of {} from Keycloak; key login refused: {}",
                    PortierCommands.printable(user), e.getMessage());
        }
        synchronized (this) {
            while (!waiting.isEmpty()) {
                Buffer next = waiting.poll();
                try {
                    super.process(next.getUByte(), next);
                } catch (Exception e) {
                    // On the I/O thread MINA would end the session on such an exception; so does this.
                    waiting.clear();
                    getServerSession().exceptionCaught(e);
                }
            }
        }
    }

    /** The login name of a {@code none} or {@code publickey} request whose keys would come from Keycloak. */
    private static Optional<String> keyRequestUser(Buffer buffer) {
        int rpos = buffer.rpos();
        try {
            String username = buffer.getString();
            buffer.getString(); // service
            String method = buffer.getString();
            return KEY_METHODS.contains(method) ? SshLogin.parse(username).map(SshLogin::user) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // malformed: MINA's own processing deals with it
        } finally {
            buffer.rpos(rpos);
        }
    }

    /** The message from its command byte on, in a buffer of its own. */
    private static Buffer copy(Buffer buffer) {
        return new ByteArrayBuffer(Arrays.copyOfRange(buffer.array(), buffer.rpos() - 1, buffer.wpos()));
    }

    /** Creates the service for each connection. */
    static final class Factory extends ServerUserAuthServiceFactory {
        private final KeycloakSshKeys keys;
        private final Executor blocking;

        Factory(KeycloakSshKeys keys, Executor blocking) {
            this.keys = keys;
            this.blocking = blocking;
        }

        @Override
        public Service create(Session session) throws IOException {
            return new KeyPrefetchingAuthService(session, keys, blocking);
        }
    }
}
