package dev.portier.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Binds what a policy says about time-boxed access: {@code approval:} and {@code breakGlass:}. */
final class ApprovalSection {
    static final List<String> APPROVAL_KEYS = List.of("required", "approvers", "count", "maxDuration", "pendingTimeout",
            "singleUse");
    static final List<String> BREAK_GLASS_KEYS = List.of("allowed", "maxDuration");

    private ApprovalSection() {
    }

    static ApprovalConfig approval(YamlMap approval, Problems problems) {
        boolean required = approval.bool("required").orElse(true);
        List<SubjectSelector> approvers = approval.maps("approvers", SelectorSection.APPROVER_KEYS).stream()
                .map(a -> SelectorSection.approvers(a, problems)).toList();
        if (required && !approval.hasContent("approvers")) {
            problems.add(approval.lineOf("approvers"), approval.keyPath("approvers"),
                    "must name at least one approver when approval is required, e.g. [{ teams: [security] }]");
        }
        int groups = Math.max(1, approvers.size());
        int count = approval.integer("count").orElse(groups);
        if (count < 1) {
            problems.add(approval.lineOf("count"), approval.keyPath("count"), "must be at least 1, got " + count);
        } else if (count < groups) {
            problems.add(approval.lineOf("count"), approval.keyPath("count"), "must be at least " + groups
                    + ", the number of approver groups (each group approves through a different person), got " + count);
        }
        Duration maxDuration = duration(approval, "maxDuration", problems).orElse(ApprovalConfig.DEFAULT_MAX_DURATION);
        Duration pendingTimeout = duration(approval, "pendingTimeout", problems)
                .orElse(ApprovalConfig.DEFAULT_PENDING_TIMEOUT);
        boolean singleUse = approval.bool("singleUse").orElse(false);
        return new ApprovalConfig(required, approvers, Math.max(count, groups), maxDuration, pendingTimeout, singleUse);
    }

    static BreakGlassConfig breakGlass(YamlMap breakGlass, Problems problems) {
        if (!breakGlass.has("allowed")) {
            breakGlass.missing("allowed", ": true lets request --break-glass grant at once, false forbids it");
        }
        boolean allowed = breakGlass.bool("allowed").orElse(false);
        Duration max = duration(breakGlass, "maxDuration", problems).orElse(BreakGlassConfig.DEFAULT_MAX_DURATION);
        if (max.compareTo(BreakGlassConfig.LIMIT) > 0) {
            problems.add(breakGlass.lineOf("maxDuration"), breakGlass.keyPath("maxDuration"), "must be at most "
                    + Durations.format(BreakGlassConfig.LIMIT) + ", got " + Durations.format(max));
            max = BreakGlassConfig.LIMIT;
        }
        return new BreakGlassConfig(allowed, max);
    }

    /** A positive duration such as {@code 4h}; empty when absent or reported. */
    static Optional<Duration> duration(YamlMap map, String key, Problems problems) {
        return map.string(key).flatMap(d -> {
            try {
                return Optional.of(Durations.parse(d.value()));
            } catch (IllegalArgumentException e) {
                problems.add(d, e.getMessage());
                return Optional.empty();
            }
        });
    }
}
