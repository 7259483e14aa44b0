package dev.portier.gateway.keycloak;

import dev.portier.access.identity.Identity;
import dev.portier.config.KeycloakConfig;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Keycloak user to Portier identity: the realm name is the identity's realm (so {@code sod.suppliers.realms}
 * applies to a partners realm), teams are the user's group names, roles are the realm roles plus the client roles of
 * the realm's Portier client. Keycloak's built-in roles ({@code default-roles-<realm>}, {@code offline_access},
 * {@code uma_authorization}) carry no meaning for Portier and are left out.
 */
public final class IdentityMapper {
    private final KeycloakNames names;
    private final Predicate<String> localUser;

    /** @param localUser true for names of local users: a home-realm user of the same name gets no identity */
    public IdentityMapper(KeycloakConfig config, Predicate<String> localUser) {
        this.names = new KeycloakNames(config);
        this.localUser = localUser;
    }

    public KeycloakNames names() {
        return names;
    }

    /**
     * @throws IllegalArgumentException with a sentence for the audit log when the user cannot have a Portier
     *                                  identity (a name outside the grammar, or one a local user holds)
     */
    public Identity identity(String realm, String username, Set<String> groups, Set<String> realmRoles,
            Set<String> clientRoles) {
        if (!KeycloakNames.fits(username)) {
            throw new IllegalArgumentException("Keycloak user " + KeycloakTokenValidator.clip(username) + " of realm "
                    + realm + " has a name Portier cannot use ([a-z_][a-z0-9._-]{0,31})");
        }
        String name = names.qualified(realm, username);
        if (localUser.test(name)) {
            throw new IllegalArgumentException(name + " is both a local user and a Keycloak user of realm " + realm
                    + "; rename one of them");
        }
        Set<String> roles = new HashSet<>();
        realmRoles.stream().filter(r -> !builtIn(realm, r)).forEach(roles::add);
        roles.addAll(clientRoles);
        return new Identity(name, realm, groups, roles);
    }

    /** The identity a verified token speaks for. */
    public Identity identity(VerifiedToken token) {
        return identity(token.realm(), token.username(), token.groups(), token.realmRoles(), token.clientRoles());
    }

    private static boolean builtIn(String realm, String role) {
        return role.equals("default-roles-" + realm) || role.equals("offline_access") || role.equals("uma_authorization");
    }
}
