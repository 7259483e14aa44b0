package dev.portier.gateway.keycloak;

import dev.portier.config.KeycloakConfig;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a Keycloak user is named in Portier. Users of the home realm (the first of {@code identity.keycloak.realms})
 * keep their Keycloak username ({@code kate}); users of every other realm are always {@code user@realm}
 * ({@code kate@partners}). The rule is static on purpose: a name never changes meaning when another realm later
 * gains a user of the same name, so grants, requests and audit lines keep naming the same person.
 *
 * <p>It fits the SSH username grammar: OpenSSH splits user and host on the last {@code @}, and Portier splits the
 * user part on the first {@code :} or {@code #}, so {@code ssh kate@partners:lab@portier} is kate of partners going
 * to lab. Local user names cannot hold {@code @}, so a qualified name never meets a local one; a plain name held
 * both by a local user and by a home-realm user is refused for the Keycloak user (see {@link IdentityMapper}).
 */
public final class KeycloakNames {
    /** The same rule as local user names: no SSH separator, at most 32 characters. */
    static final Pattern USERNAME = Pattern.compile("[a-z_][a-z0-9._-]{0,31}");

    /** A Keycloak user: realm and username. */
    public record RealmUser(String realm, String username) {
    }

    private final KeycloakConfig config;

    public KeycloakNames(KeycloakConfig config) {
        this.config = config;
    }

    /** Portier's name for {@code username} of {@code realm}. */
    public String qualified(String realm, String username) {
        return realm.equals(config.homeRealm().name()) ? username : username + "@" + realm;
    }

    /**
     * The Keycloak user a Portier name means: {@code kate} is kate of the home realm, {@code kate@partners} kate of
     * partners. Empty when the realm is not trusted or the name does not fit the grammar; {@code kate@employees}
     * (the home realm written out) is not accepted, so each person has exactly one name.
     */
    public Optional<RealmUser> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        int at = name.indexOf('@');
        String user = at < 0 ? name : name.substring(0, at);
        String realm = at < 0 ? config.homeRealm().name() : name.substring(at + 1);
        if (!USERNAME.matcher(user).matches() || config.realm(realm).isEmpty()
                || at >= 0 && realm.equals(config.homeRealm().name())) {
            return Optional.empty();
        }
        return Optional.of(new RealmUser(realm, user));
    }

    /** Keycloak stores usernames in lower case; a name that does not fit Portier's grammar has no identity. */
    static boolean fits(String username) {
        return username != null && USERNAME.matcher(username).matches()
                && username.equals(username.toLowerCase(Locale.ROOT));
    }
}
