package dev.portier.access.approval;

import java.util.List;

/**
 * How far a request's approvals have come.
 *
 * @param satisfied true when the approvals counted are enough
 * @param required  distinct people needed in total
 * @param counted   the people whose approvals count, in the order they approved
 * @param missing   what is still needed, one phrase each, e.g. {@code needs 1 more approval from group teams:[security]}
 * @param ignored   approvals that do not count and why, e.g. {@code bob approved twice; one person counts once}
 */
public record ApprovalProgress(boolean satisfied, int required, List<String> counted, List<String> missing,
                               List<String> ignored) {
    public ApprovalProgress {
        counted = List.copyOf(counted);
        missing = List.copyOf(missing);
        ignored = List.copyOf(ignored);
    }

    /** One line for the user: who approved, or what is missing. */
    public String summary() {
        if (satisfied) {
            return required == 0 ? "no approval needed"
                    : "approved by " + String.join(", ", counted) + " (" + counted.size() + " of " + required + " needed)";
        }
        return String.join("; ", missing);
    }
}
