package dev.portier.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code policies[].approval:} the approval a request under this policy needs.
 *
 * <p>Each entry of {@code approvers} is one group. With several groups, one approval from each group is
 * required (AND), each from a different person; {@code count} is the number of distinct people in total, so
 * it is never below the number of groups. Restricted targets need at least two people whatever {@code count}
 * says; the access core applies that floor, because it depends on the target.
 *
 * @param required       {@code true} unless written {@code required: false}
 * @param approvers      the approver groups (each selector has no realms)
 * @param count          distinct people in total, at least the number of groups (the default) and at least 1
 * @param maxDuration    the longest grant a request may ask for
 * @param pendingTimeout how long a request nobody decided stays pending before it expires
 * @param singleUse      the grant ends when its first session ends
 */
public record ApprovalConfig(
        boolean required,
        List<SubjectSelector> approvers,
        int count,
        Duration maxDuration,
        Duration pendingTimeout,
        boolean singleUse) {

    /** The longest grant a request may ask for unless {@code maxDuration} says otherwise. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(4);
    /** How long a request waits for a decision unless {@code pendingTimeout} says otherwise. */
    public static final Duration DEFAULT_PENDING_TIMEOUT = Duration.ofHours(24);

    public ApprovalConfig {
        approvers = List.copyOf(approvers);
    }
}
