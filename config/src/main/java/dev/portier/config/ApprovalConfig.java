package dev.portier.config;

import java.time.Duration;
import java.util.List;

/** {@code policies[].approval:} the approval a request under this policy needs. */
public record ApprovalConfig(boolean required, List<SubjectSelector> approvers, int count, Duration maxDuration) {
    public ApprovalConfig {
        approvers = List.copyOf(approvers);
    }
}
