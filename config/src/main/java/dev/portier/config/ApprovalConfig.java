package dev.portier.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code policies[].approval:} the approval a request under this policy needs.
 *
 * @param required    {@code true} unless written {@code required: false}
 * @param approvers   who may approve: a person matching any selector (each selector has no realms)
 * @param count       how many distinct approvals, at least 1
 * @param maxDuration the longest grant a request may ask for
 */
public record ApprovalConfig(boolean required, List<SubjectSelector> approvers, int count, Duration maxDuration) {
    /** The longest grant a request may ask for unless {@code maxDuration} says otherwise. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(4);

    public ApprovalConfig {
        approvers = List.copyOf(approvers);
    }
}
