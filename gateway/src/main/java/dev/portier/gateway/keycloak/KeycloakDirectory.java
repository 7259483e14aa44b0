package dev.portier.gateway.keycloak;

import java.util.List;
import java.util.Optional;

/**
 * Read access to the users of the trusted realms through Keycloak's admin API, with Portier's service accounts.
 * The seam for what needs Keycloak's current view rather than a token's: public keys for SSH login, leavers
 * (disabled, deleted, removed from a group), approvers. Implementations are thread-safe and may block on HTTP.
 */
public interface KeycloakDirectory extends AutoCloseable {
    /** The user {@code username} of {@code realm} (exact match), or empty when there is none. */
    Optional<DirectoryUser> user(String realm, String username) throws KeycloakException;

    /** Every user of {@code realm}, up to {@code max}, with groups and roles (one request per user: keep it rare). */
    List<DirectoryUser> users(String realm, int max) throws KeycloakException;

    @Override
    void close();
}
