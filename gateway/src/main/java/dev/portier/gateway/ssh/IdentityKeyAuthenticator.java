package dev.portier.gateway.ssh;

import dev.portier.access.identity.Identity;
import dev.portier.gateway.core.GatewayContext;
import java.security.PublicKey;
import java.util.Optional;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Checks an offered key against the identity source. MINA calls this twice per key (before and after the
 * signature check), so a {@code true} here is not yet proof of possession: the session counts as
 * authenticated only on MINA's {@code Authenticated} event (see {@link SshFront}).
 */
final class IdentityKeyAuthenticator implements PublickeyAuthenticator {
    private final GatewayContext ctx;

    IdentityKeyAuthenticator(GatewayContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        GatewaySession gs = GatewaySession.of(session);
        Optional<SshLogin> login = SshLogin.parse(username);
        if (login.isEmpty()) {
            gs.failure("malformed username");
            SshFront.disconnect(session, "malformed username '" + PortierCommands.printable(username)
                    + "': use <user>, <user>:<target> or <user>:<account>@<target> ('#' also separates)");
            return false;
        }
        gs.login(login.get());
        Optional<Identity> id = ctx.identities().authenticateByPublicKey(login.get().user(), SshFront.openSsh(key));
        if (id.isEmpty()) {
            gs.failure("key " + SshFront.fingerprint(key) + " not registered for " + login.get().user());
            return false;
        }
        if (ctx.access() != null) {
            Optional<String> refusal = ctx.access().loginRefusal(id.get());
            if (refusal.isPresent()) {
                gs.failure(refusal.get());
                SshFront.disconnect(session, refusal.get());
                return false;
            }
        }
        gs.candidate(id.get());
        return true;
    }
}
