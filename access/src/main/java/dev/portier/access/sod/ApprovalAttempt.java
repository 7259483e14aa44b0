package dev.portier.access.sod;

import dev.portier.access.identity.Identity;
import dev.portier.access.request.AccessRequest;
import dev.portier.config.TargetConfig;

/**
 * An approver approving a request.
 *
 * @param requesterHeld what the requester already holds (their pending requests include this one)
 */
public record ApprovalAttempt(Identity approver, AccessRequest request, Identity requester, TargetConfig target,
                              HeldAccess requesterHeld) {
}
