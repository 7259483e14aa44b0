package dev.portier.access.sod;

import dev.portier.access.request.Approval;
import dev.portier.config.SodConfig;
import java.util.Optional;

/**
 * Always on: one person counts once per request, across approver groups and levels. Here: a second approval
 * by someone who already approved is refused; the approval rule also counts each person once.
 */
public final class DistinctPeopleRule implements SodRule {
    @Override
    public String name() {
        return SodConfig.DISTINCT_PEOPLE;
    }

    @Override
    public Optional<Violation> atApproval(ApprovalAttempt a) {
        for (Approval earlier : a.request().approvals()) {
            if (People.isNamed(a.approver(), earlier.approver(), null)) {
                return Optional.of(Violation.sod(name(), "you already approved request " + a.request().id()
                        + "; one person counts once, so another approver must add theirs"));
            }
        }
        return Optional.empty();
    }
}
