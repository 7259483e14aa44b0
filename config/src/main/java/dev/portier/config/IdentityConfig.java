package dev.portier.config;

import java.util.List;

/** {@code identity:} the embedded local users (Keycloak joins in a later issue). */
public record IdentityConfig(List<LocalUser> localUsers) {
    public IdentityConfig {
        localUsers = List.copyOf(localUsers);
    }
}
