package dev.portier.gateway.ssh;

import dev.portier.access.identity.Identity;
import dev.portier.gateway.core.GatewayContext;
import dev.portier.gateway.keycloak.KeycloakSshKeys;
import java.security.PublicKey;
import java.util.Optional;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Checks an offered key against the identity source: local users' keys, then the keys registered in Keycloak, which
 * this reads from {@link KeycloakSshKeys}' cache only ({@link KeyPrefetchingAuthService} fills it off the I/O thread first), so
 * it never blocks. MINA calls this twice per key (before and after the signature check), so a {@code true} here is
 * not yet proof of possession: the session counts as authenticated only on MINA's {@code Authenticated} event (see
 * {@link SshFront}).
 */
final class IdentityKeyAuthenticator implements PublickeyAuthenticator {
    private final GatewayContext ctx;
    private final KeycloakSshKeys keycloak;

    /** @param keycloak keys registered in Keycloak; null without Keycloak */
    IdentityKeyAuthenticator(GatewayContext ctx, KeycloakSshKeys keycloak) {
        this.ctx = ctx;
        this.keycloak = keycloak;
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
        String user = login.get().user();
        Optional<Identity> id = ctx.identities().authenticateByPublicKey(user, SshFront.openSsh(key));
        if (id.isEmpty() && keycloak != null) {
            Optional<String> ambiguous = keycloak.userMessage(user);
            if (ambiguous.isPresent()) {
                gs.failure(keycloak.refusal(user).orElse(ambiguous.get()));
                SshFront.disconnect(session, ambiguous.get());
                return false;
            }
            id = keycloak.match(user, SshFront.openSsh(key));
            if (id.isEmpty() && keycloak.refusal(user).isPresent()) {
                gs.failure(keycloak.refusal(user).get());
                return false;
            }
        }
        if (id.isEmpty()) {
            gs.failure("key " + SshFront.fingerprint(key) + " not registered for " + user);
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
