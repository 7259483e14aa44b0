package dev.portier.gateway.ssh;

import dev.portier.access.identity.Identity;
import dev.portier.gateway.core.GatewayContext;
import dev.portier.gateway.keycloak.DeviceLogin;
import dev.portier.gateway.keycloak.KeycloakLoginException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.auth.AbstractUserAuth;
import org.apache.sshd.server.auth.AbstractUserAuthFactory;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.UserAuth;
import org.apache.sshd.server.auth.keyboard.InteractiveChallenge;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.session.ServerSession;

/**
 * keyboard-interactive carrying the OAuth 2.0 device authorization grant, for the plain OpenSSH client. The request
 * starts the sign-in off the I/O thread and answers asynchronously ({@link AsyncAuthException}, which MINA supports on
 * both steps of keyboard-interactive); once the realm granted a device code, an info request shows the verification
 * URL, the URL with the code filled in and the code, and one prompt: the person signs in with the browser (password
 * and OTP as the realm requires) and presses Enter. Portier polls the realm from the start, so the answer is usually
 * ready; an Enter pressed too early simply waits for the sign-in, the code's expiry or a refusal.
 *
 * <p>Why a prompt rather than an info request without one (which needs no Enter): OpenSSH prints the instruction
 * only at LogLevel INFO or more, so a client with {@code -q} or {@code LogLevel ERROR} would wait without showing
 * the code; the prompt is always shown, and it carries the URL with the code.
 *
 * <p>Every attempt is audited: success by {@link SshFront} (method {@code device}), refusals here with the realm and
 * the reason; refusals the person can act on end the connection with one sentence.
 */
final class DeviceLoginAuth extends AbstractUserAuth {
    static final String METHOD = "device";
    private final GatewayContext ctx;
    private final DeviceLogin device;
    private volatile DeviceLogin.Started started;
    private volatile CompletableFuture<Identity> identity;
    private volatile boolean destroyed;

    DeviceLoginAuth(GatewayContext ctx, DeviceLogin device) {
        super(UserAuthKeyboardInteractiveFactory.NAME);
        this.ctx = ctx;
        this.device = device;
    }

    @Override
    protected Boolean doAuth(Buffer buffer, boolean init) throws Exception {
        return init ? begin(buffer) : respond(buffer);
    }

    private Boolean begin(Buffer buffer) {
        buffer.getString(); // language tag: the text is English
        buffer.getString(); // submethods: not used
        ServerSession session = getServerSession();
        GatewaySession gs = GatewaySession.of(session);
        Optional<SshLogin> login = SshLogin.parse(getUsername());
        if (login.isEmpty()) {
            gs.failure("malformed username");
            SshFront.disconnect(session, "malformed username '" + PortierCommands.printable(getUsername())
                    + "': use <user>, <user>:<target> or <user>:<account>@<target> ('#' also separates)");
            return false;
        }
        gs.login(login.get());
        String user = login.get().user();
        if (device.local(user)) {
            return false; // local users log in with their keys
        }
        AsyncAuthException async = new AsyncAuthException();
        device.start(user).whenComplete((s, error) -> {
            if (error != null) {
                refuse(gs, user, null, DeviceLogin.refusal(error), async);
                return;
            }
            started = s;
            identity = device.finish(s);
            try {
                session.writePacket(challenge(session, s));
            } catch (IOException e) {
                identity.cancel(false);
                async.setAuthed(false);
            }
        });
        throw async;
    }

    private Boolean respond(Buffer buffer) {
        int cmd = buffer.getUByte();
        CompletableFuture<Identity> pending = identity;
        if (cmd != SshConstants.SSH_MSG_USERAUTH_INFO_RESPONSE || pending == null) {
            return false;
        }
        // The answer to the prompt is only an Enter: whatever was typed is neither read nor logged.
        AsyncAuthException async = new AsyncAuthException();
        GatewaySession gs = GatewaySession.of(getServerSession());
        DeviceLogin.Started s = started;
        pending.whenComplete((id, error) -> {
            if (destroyed) {
                return;
            }
            if (error != null) {
                refuse(gs, s.canonical(), s.user().realm(), DeviceLogin.refusal(error), async);
                return;
            }
            Optional<String> refusal = ctx.access() == null ? Optional.empty() : ctx.access().loginRefusal(id);
            if (refusal.isPresent()) {
                refuse(gs, id.user(), id.realm(), new KeycloakLoginException(refusal.get(), refusal.get()), async);
                return;
            }
            gs.method(METHOD);
            gs.candidate(id);
            async.setAuthed(true);
        });
        throw async;
    }

    /** Audits the refused attempt, then ends the connection with the reason, or lets the client try another way. */
    private void refuse(GatewaySession gs, String user, String realm, KeycloakLoginException e,
            AsyncAuthException async) {
        SshLogin login = gs.login();
        ctx.audit().record("auth.failure", user, login.target(), gs.id(), "deny", e.getMessage(),
                Map.of("client", gs.remoteAddress(), "method", METHOD, "realm", realm == null ? "" : realm,
                        "login", login.display()));
        gs.failureAudited();
        if (e.userMessage() != null) {
            SshFront.disconnect(getServerSession(), e.userMessage());
        } else {
            async.setAuthed(false);
        }
    }

    private static Buffer challenge(ServerSession session, DeviceLogin.Started s) {
        var code = s.code();
        long minutes = Math.max(1, Duration.between(Instant.now(), code.expires()).toMinutes());
        InteractiveChallenge c = new InteractiveChallenge();
        c.setInteractionName("Portier: sign in with Keycloak");
        c.setInteractionInstruction("To log in as " + s.canonical() + ", sign in to Keycloak realm " + s.user().realm()
                + " with your browser:\n  open " + code.verificationUriComplete() + "\n  or open "
                + code.verificationUri() + " and enter the code " + code.userCode() + "\nThe code is valid for "
                + minutes + " minute" + (minutes == 1 ? "" : "s") + ".");
        c.setLanguageTag("");
        c.addPrompt("Sign in at " + code.verificationUriComplete() + " then press Enter: ", true);
        Buffer b = session.createBuffer(SshConstants.SSH_MSG_USERAUTH_INFO_REQUEST);
        c.append(b);
        return b;
    }

    @Override
    public void destroy() {
        destroyed = true;
        CompletableFuture<Identity> pending = identity;
        if (pending != null) {
            pending.cancel(false); // the connection is gone or moved on: stop polling Keycloak
        }
        super.destroy();
    }

    /** keyboard-interactive as device login. */
    static final class Factory extends AbstractUserAuthFactory {
        private final GatewayContext ctx;
        private final DeviceLogin device;

        Factory(GatewayContext ctx, DeviceLogin device) {
            super(UserAuthKeyboardInteractiveFactory.NAME);
            this.ctx = ctx;
            this.device = device;
        }

        @Override
        public UserAuth createUserAuth(ServerSession session) {
            return new DeviceLoginAuth(ctx, device);
        }
    }
}
