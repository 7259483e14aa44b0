package dev.portier.config;

import java.util.List;
import java.util.Optional;

/**
 * {@code identity:} the embedded local users, and optionally the Keycloak realms trusted beside them.
 *
 * @param keycloak empty unless {@code identity.keycloak} is written
 */
public record IdentityConfig(List<LocalUser> localUsers, Optional<KeycloakConfig> keycloak) {
    public IdentityConfig {
        localUsers = List.copyOf(localUsers);
    }

    /** Local users only. */
    public IdentityConfig(List<LocalUser> localUsers) {
        this(localUsers, Optional.empty());
    }
}
