package dev.portier.gateway.core;

import dev.portier.access.identity.Identity;

/**
 * Who sees and ends which live sessions, the same over SSH and REST: approvers, auditors and admins see
 * everyone's; others only their own.
 */
public final class SessionVisibility {
    private SessionVisibility() {
    }

    public static boolean seesAll(Identity id) {
        return id.roles().contains("approver") || id.roles().contains("auditor") || id.roles().contains("admin");
    }

    public static boolean sees(Identity id, LiveSessions.LiveSession s) {
        return seesAll(id) || s.user().equals(id.user());
    }
}
