package dev.portier.access.service;

import dev.portier.access.grant.Grant;

/** Told when access ends, so fronts close live sessions on time. Must not block. */
public interface GrantListener {
    /** A grant expired, was revoked or used up. */
    void grantEnded(Grant grant, String reason);

    /** A user left (removed or disabled in the identity source): end everything of theirs. */
    default void userRemoved(String user, String reason) {
    }
}
