package dev.portier.access.sod;

import dev.portier.config.TargetConfig;
import java.util.List;

/**
 * What one user holds right now: targets of their active grants and of their pending requests, so that a toxic
 * combination reached through two separate requests is caught. The access service provides it (read from the
 * store before the check, so the check itself does no I/O).
 */
@FunctionalInterface
public interface HeldAccess {
    /** Holds nothing. */
    HeldAccess NONE = List::of;

    List<Held> targets();

    static HeldAccess of(List<Held> held) {
        List<Held> copy = List.copyOf(held);
        return () -> copy;
    }

    /**
     * One target held.
     *
     * @param id      the grant or request id, for explanations
     * @param pending true for a pending request, false for an active grant
     */
    record Held(TargetConfig target, String id, boolean pending) {
        public static Held grant(TargetConfig target, String grantId) {
            return new Held(target, grantId, false);
        }

        public static Held pendingRequest(TargetConfig target, String requestId) {
            return new Held(target, requestId, true);
        }
    }
}
