package dev.portier.gateway.keycloak;

import java.time.Instant;
import java.util.Set;

/**
 * What a Keycloak access token genuinely says, once its signature, issuer, audience and times are checked.
 *
 * @param realm       the trusted realm that issued it
 * @param username    {@code preferred_username}: the user's Keycloak username
 * @param subject     {@code sub}: Keycloak's stable user id
 * @param groups      the {@code groups} claim (group names)
 * @param realmRoles  {@code realm_access.roles}
 * @param clientRoles {@code resource_access.<clientId>.roles} of the realm's configured client
 * @param tokenId     {@code jti}, for audit lines (never the token)
 */
public record VerifiedToken(String realm, String username, String subject, Set<String> groups, Set<String> realmRoles,
        Set<String> clientRoles, Instant issuedAt, Instant expires, String tokenId) {
    public VerifiedToken {
        groups = Set.copyOf(groups);
        realmRoles = Set.copyOf(realmRoles);
        clientRoles = Set.copyOf(clientRoles);
    }
}
