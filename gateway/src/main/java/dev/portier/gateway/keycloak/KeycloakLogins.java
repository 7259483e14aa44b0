package dev.portier.gateway.keycloak;

import dev.portier.config.KeycloakConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which person an SSH login name means. The canonical name stays {@link KeycloakNames}' ({@code kate},
 * {@code pete@partners}), but people may type their plain Keycloak username: a local user keeps the name as today;
 * otherwise the home realm's user of that name; otherwise the one other realm that holds it. Two other realms holding
 * it make the plain name ambiguous, and the refusal names the qualified forms to use. A qualified name
 * ({@code kate@partners}) always means that realm's user.
 *
 * <p>A plain name resolved this way can change meaning when a realm later gains the same username; that is safe
 * because it only selects whose keys or whose sign-in count, and grants, audit lines and recordings always carry the
 * canonical name. Blocks on the directory (answers cached by {@link KeycloakIdentities}): never call it on an I/O
 * thread. Thread-safe.
 */
public final class KeycloakLogins {
    private final KeycloakConfig config;
    private final KeycloakNames names;
    private final KeycloakIdentities identities;
    private final Predicate<String> localUser;

    KeycloakLogins(KeycloakConfig config, KeycloakIdentities identities, Predicate<String> localUser) {
        this.config = config;
        this.names = new KeycloakNames(config);
        this.identities = identities;
        this.localUser = localUser;
    }

    /** True when {@code login} is a local user's name: Keycloak has no say about it. Never blocks. */
    public boolean local(String login) {
        return localUser.test(login);
    }

    /**
     * The enabled Keycloak user {@code login} (the user part of an SSH username) means.
     *
     * @throws KeycloakLoginException when it means nobody (silently) or is ambiguous (with the qualified forms)
     * @throws KeycloakException      when Keycloak cannot be asked
     */
    public KeycloakNames.RealmUser resolve(String login) throws KeycloakLoginException, KeycloakException {
        if (login == null || local(login)) {
            throw new KeycloakLoginException("not a Keycloak user", null);
        }
        if (login.indexOf('@') >= 0) {
            Optional<KeycloakNames.RealmUser> named = names.parse(login);
            if (named.isEmpty() || identities.known(named.get().realm(), named.get().username()).isEmpty()) {
                throw unknown(login);
            }
            return named.get();
        }
        if (!KeycloakNames.fits(login)) {
            throw unknown(login);
        }
        String home = config.homeRealm().name();
        if (identities.known(home, login).isPresent()) {
            return new KeycloakNames.RealmUser(home, login);
        }
        List<KeycloakNames.RealmUser> holders = new ArrayList<>();
        for (KeycloakConfig.Realm realm : config.realms()) {
            if (!realm.name().equals(home) && identities.known(realm.name(), login).isPresent()) {
                holders.add(new KeycloakNames.RealmUser(realm.name(), login));
            }
        }
        if (holders.isEmpty()) {
            throw unknown(login);
        }
        if (holders.size() > 1) {
            List<String> forms = holders.stream().map(u -> names.qualified(u.realm(), u.username())).toList();
            throw new KeycloakLoginException("ambiguous user name " + login + " (" + String.join(", ", forms) + ")",
                    login + " is a user of several realms; log in as " + String.join(" or ", forms));
        }
        return holders.get(0);
    }

    /** Portier's canonical name of a Keycloak user. */
    public String canonical(KeycloakNames.RealmUser user) {
        return names.qualified(user.realm(), user.username());
    }

    private static KeycloakLoginException unknown(String login) {
        return new KeycloakLoginException("no enabled Keycloak user " + KeycloakTokenValidator.clip(login), null);
    }
}
