package dev.portier.access.service;

import dev.portier.access.grant.Grant;
import dev.portier.access.policy.Decision;

/**
 * The answer for a session start: the decision (with its explanation), the grant it runs under (null for
 * standing access or a denial), and whether keystrokes must be recorded (suppliers).
 *
 * @param requestable true when a denial could be cured by filing a request (the inline flow offers it)
 * @param deadline    when the session must end: the grant's end or a supplier's window closing, whichever is
 *                    first; null for none
 */
public record SessionAuthorization(Decision decision, Grant grant, boolean recordInput, boolean requestable,
        java.time.Instant deadline) {

    /** Without a deadline of its own (the grant's end, if any, still applies). */
    public SessionAuthorization(Decision decision, Grant grant, boolean recordInput, boolean requestable) {
        this(decision, grant, recordInput, requestable, grant == null ? null : grant.end());
    }
}
