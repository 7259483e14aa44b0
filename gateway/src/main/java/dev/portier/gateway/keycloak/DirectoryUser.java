package dev.portier.gateway.keycloak;

import java.util.List;
import java.util.Set;

/**
 * A user as Keycloak's admin API describes them now.
 *
 * @param id            Keycloak's user id ({@code sub} of their tokens)
 * @param realmRoles    effective realm roles (composites expanded)
 * @param clientRoles   effective client roles of the realm's Portier client
 * @param sshPublicKeys the values of the user attribute {@code ssh_public_keys}, as written (one key per value)
 */
public record DirectoryUser(String realm, String id, String username, boolean enabled, Set<String> groups,
        Set<String> realmRoles, Set<String> clientRoles, List<String> sshPublicKeys) {
    /** The user attribute holding a user's OpenSSH public keys. */
    public static final String SSH_KEYS_ATTRIBUTE = "ssh_public_keys";

    public DirectoryUser {
        groups = Set.copyOf(groups);
        realmRoles = Set.copyOf(realmRoles);
        clientRoles = Set.copyOf(clientRoles);
        sshPublicKeys = List.copyOf(sshPublicKeys);
    }
}
