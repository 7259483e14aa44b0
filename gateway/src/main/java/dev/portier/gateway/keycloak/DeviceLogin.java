package dev.portier.gateway.keycloak;

import dev.portier.access.identity.Identity;
import dev.portier.config.KeycloakConfig;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * SSH login by device sign-in: {@link #start} resolves the login name to a Keycloak user (see {@link KeycloakLogins}),
 * checks that the user's realm allows {@code device} ({@code sshAuth}) and asks the realm for a device authorization;
 * {@link #finish} waits for the person's browser sign-in and turns the token into the identity. The token must be a
 * genuine token of that realm issued to Portier's client ({@link KeycloakTokenValidator}), its
 * {@code preferred_username} must be the user who logs in (a token of anyone else is refused), and Keycloak must still
 * know that user, enabled, under the token's subject.
 *
 * <p>Directory look-ups and token validation run on {@code blocking}; HTTP to the OIDC endpoints is asynchronous, so
 * no caller thread waits. Futures fail with {@link KeycloakLoginException}.
 */
public final class DeviceLogin {
    /** A device sign-in under way for {@code user} ({@code canonical} is Portier's name of them). */
    public record Started(KeycloakNames.RealmUser user, String canonical, DeviceCode code) {
    }

    private final KeycloakConfig config;
    private final KeycloakLogins logins;
    private final DeviceAuthorization device;
    private final KeycloakTokenValidator tokens;
    private final KeycloakIdentities identities;
    private final Executor blocking;

    DeviceLogin(KeycloakConfig config, KeycloakLogins logins, DeviceAuthorization device, KeycloakTokenValidator tokens,
            KeycloakIdentities identities, Executor blocking) {
        this.config = config;
        this.logins = logins;
        this.device = device;
        this.tokens = tokens;
        this.identities = identities;
        this.blocking = blocking;
    }

    /** True when some trusted realm allows device login at all. */
    public boolean offered() {
        return config.realms().stream().anyMatch(r -> r.sshAuth().contains(KeycloakConfig.SshAuth.DEVICE));
    }

    /** True when {@code login} is a local user's name (device login is for Keycloak users). Never blocks. */
    public boolean local(String login) {
        return logins.local(login);
    }

    /** Resolves {@code login} and asks its realm for a device and user code. */
    public CompletableFuture<Started> start(String login) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                KeycloakNames.RealmUser user = logins.resolve(login);
                KeycloakConfig.Realm realm = config.realm(user.realm()).orElseThrow();
                if (!realm.sshAuth().contains(KeycloakConfig.SshAuth.DEVICE)) {
                    throw new KeycloakLoginException("realm " + realm.name() + " does not allow device login (sshAuth)",
                            "realm " + realm.name() + " does not allow device login; log in with the SSH key you"
                                    + " registered in Keycloak");
                }
                return user;
            } catch (KeycloakLoginException e) {
                throw new CompletionException(e);
            } catch (KeycloakException e) {
                throw new CompletionException(unavailable(e));
            }
        }, blocking).thenCompose(user -> device.start(user.realm())
                .thenApply(code -> new Started(user, logins.canonical(user), code)));
    }

    /**
     * Waits for the sign-in and answers the identity. Cancelling the returned future (the connection closed) stops
     * polling Keycloak.
     */
    public CompletableFuture<Identity> finish(Started started) {
        CompletableFuture<String> token = device.awaitToken(started.code());
        CompletableFuture<Identity> identity = token.thenApplyAsync(t -> {
            try {
                return verify(started, t);
            } catch (KeycloakLoginException e) {
                throw new CompletionException(e);
            } catch (KeycloakException e) {
                throw new CompletionException(unavailable(e));
            }
        }, blocking);
        identity.whenComplete((i, e) -> token.cancel(false));
        return identity;
    }

    private Identity verify(Started started, String token) throws KeycloakLoginException, KeycloakException {
        VerifiedToken v;
        try {
            v = tokens.validate(token);
        } catch (KeycloakTokenException e) {
            throw new KeycloakLoginException("device sign-in token refused: " + e.getMessage(),
                    "Portier could not verify the sign-in; connect again");
        }
        KeycloakNames.RealmUser expected = started.user();
        if (!v.realm().equals(expected.realm()) || !v.username().equals(expected.username())) {
            String who = KeycloakTokenValidator.clip(v.username()) + " of realm " + v.realm();
            throw new KeycloakLoginException("device sign-in by " + who + " for login " + started.canonical(),
                    "you signed in as " + who + ", not as " + started.canonical() + "; connect again and sign in as "
                            + started.canonical());
        }
        Optional<KeycloakIdentities.Known> now = identities.known(v.realm(), v.username());
        if (now.isEmpty() || !now.get().id().equals(v.subject())) {
            throw new KeycloakLoginException("user " + started.canonical() + " is disabled, gone, or not the token's"
                    + " subject", null);
        }
        return now.get().identity();
    }

    /** The refusal behind a failed future of this class, whatever wrapped it. */
    public static KeycloakLoginException refusal(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof KeycloakLoginException e) {
            return e;
        }
        if (t instanceof KeycloakException e) {
            return unavailable(e);
        }
        return new KeycloakLoginException("device login failed: " + t, "Keycloak cannot complete the sign-in now;"
                + " try again later", t);
    }

    private static KeycloakLoginException unavailable(KeycloakException e) {
        return new KeycloakLoginException(e.getMessage(), "Keycloak cannot complete the sign-in now; try again later", e);
    }
}
