package dev.portier.gateway.ssh;

import dev.portier.gateway.keycloak.KeycloakException;
import dev.portier.gateway.keycloak.KeycloakSshKeys;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Public-key authentication that may need the keys a person registered in Keycloak, which are read over HTTP. MINA
 * calls authentication on its I/O thread, and its asynchronous answer ({@link AsyncAuthException}) cannot be given by
 * the {@code PublickeyAuthenticator}: MINA would then skip the signature check and report success on the
 * authenticator's word alone. So when the keys of the login name are not cached yet, this whole method step moves to
 * a worker: the keys are read into {@link KeycloakSshKeys}' cache, then MINA's own step runs there on a copy of the
 * request (query answered with PK_OK, or signature verified), and only its verdict completes the asynchronous answer.
 * With the keys cached, or for local users, the step runs as MINA's does, on the I/O thread, without blocking.
 */
final class KeycloakKeyAuth extends UserAuthPublicKey {
    private static final Logger LOG = LoggerFactory.getLogger(KeycloakKeyAuth.class);
    private final KeycloakSshKeys keys;
    private final Executor blocking;
    private volatile boolean destroyed;

    KeycloakKeyAuth(List<NamedFactory<Signature>> factories, KeycloakSshKeys keys, Executor blocking) {
        super(factories);
        this.keys = keys;
        this.blocking = blocking;
    }

    @Override
    public Boolean doAuth(Buffer buffer, boolean init) throws Exception {
        Optional<SshLogin> login = SshLogin.parse(getUsername());
        if (!init || login.isEmpty() || keys.answersFromCache(login.get().user())) {
            return super.doAuth(buffer, init);
        }
        String user = login.get().user();
        // MINA reuses its packet buffer once this returns: the worker gets its own copy of the request.
        Buffer request = new ByteArrayBuffer(buffer.getCompactData());
        ServerSession session = getServerSession();
        AsyncAuthException async = new AsyncAuthException();
        try {
            blocking.execute(() -> lookUpThenAuthenticate(session, user, request, async));
        } catch (RejectedExecutionException e) {
            return false;
        }
        throw async;
    }

    private void lookUpThenAuthenticate(ServerSession session, String user, Buffer request, AsyncAuthException async) {
        try {
            keys.load(user);
        } catch (KeycloakException e) {
            GatewaySession.of(session).failure(e.getMessage());
            LOG.warn("SSH key check of {} failed closed: {}", PortierCommands.printable(user), e.getMessage());
            async.setAuthed(false);
            return;
        }
        Boolean verdict;
        try {
            verdict = KeycloakKeyAuth.super.doAuth(request, true);
        } catch (Exception e) {
            // A bad signature or malformed request: refused, as MINA's synchronous path would.
            verdict = Boolean.FALSE;
        }
        // null: the query step was answered with PK_OK; the client comes back with a signature in a new request.
        if (verdict != null && !destroyed) {
            async.setAuthed(verdict);
        }
    }

    @Override
    public void destroy() {
        destroyed = true;
        super.destroy();
    }

    /** Creates {@link KeycloakKeyAuth} with MINA's signature factories. */
    static final class Factory extends UserAuthPublicKeyFactory {
        private final KeycloakSshKeys keys;
        private final Executor blocking;

        Factory(KeycloakSshKeys keys, Executor blocking) {
            this.keys = keys;
            this.blocking = blocking;
        }

        @Override
        public UserAuthPublicKey createUserAuth(ServerSession session) {
            return new KeycloakKeyAuth(getSignatureFactories(), keys, blocking);
        }
    }
}
