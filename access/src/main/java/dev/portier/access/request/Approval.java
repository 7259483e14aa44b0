package dev.portier.access.request;

import java.time.Instant;

/** One person's approval of a request. {@code approver} is the canonical user name (realm-qualified later). */
public record Approval(String approver, Instant time, String comment) {
}
