package dev.portier.access.service;

import dev.portier.access.grant.Grant;
import dev.portier.access.policy.Decision;

/**
 * The answer for a session start: the decision (with its explanation), the grant it runs under (null for
 * standing access or a denial), and whether keystrokes must be recorded (suppliers).
 *
 * @param requestable true when a denial could be cured by filing a request (the inline flow offers it)
 */
public record SessionAuthorization(Decision decision, Grant grant, boolean recordInput, boolean requestable) {
}
