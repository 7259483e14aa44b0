package dev.portier.access.sod;

import dev.portier.access.identity.Identity;
import dev.portier.config.PolicyConfig;
import dev.portier.config.TargetConfig;
import java.time.Instant;

/**
 * A user asking for access (a request) or using it (a session start) to a target under a policy.
 *
 * @param held what the user already holds
 */
public record AccessAttempt(Identity user, TargetConfig target, PolicyConfig policy, Instant now, HeldAccess held) {
}
