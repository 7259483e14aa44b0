package dev.portier.access.grant;

/** A grant is ACTIVE over [start, end) unless it expired, was revoked, or (single use) was used. */
public enum GrantState {
    ACTIVE, EXPIRED, REVOKED, USED
}
