package dev.portier.access.identity;

import java.util.Optional;

/**
 * A source of identities (the local config now, Keycloak later). Implementations are thread-safe and
 * fast: the SSH front calls them during authentication.
 */
public interface IdentityProvider {
    /**
     * @param user            the person part of the SSH username
     * @param openSshPublicKey the key offered, as {@code type base64} (comment ignored)
     * @return the identity when that key is registered for that user
     */
    Optional<Identity> authenticateByPublicKey(String user, String openSshPublicKey);

    /** The current identity of a user, or empty when unknown or disabled. */
    Optional<Identity> lookup(String user);

    /** Everyone this source knows (to tell who could approve a request). */
    java.util.List<Identity> all();
}
