package dev.portier.access.sod;

import dev.portier.access.identity.Identity;
import dev.portier.config.Classification;
import java.util.Optional;

/**
 * One segregation-of-duties rule. A rule answers at the checkpoints it cares about and is silent at the
 * others; the {@link SodEngine} asks every rule at every checkpoint. Implementations are immutable.
 */
public sealed interface SodRule permits NoSelfApprovalRule, DistinctPeopleRule, ApproverIndependenceRule,
        ExclusiveAccessRule, RoleConflictRule, SupplierRule {

    /** The name denials quote. */
    String name();

    /** When an identity logs in (and again, as defence in depth, at every later checkpoint). */
    default Optional<Violation> atLogin(Identity user) {
        return Optional.empty();
    }

    /** When a user files a request. */
    default Optional<Violation> atRequest(AccessAttempt attempt) {
        return Optional.empty();
    }

    /**
     * Whether this person may approve this requester's requests on targets of this classification at all:
     * used to list eligible approvers before anyone votes, and by default at approval.
     */
    default Optional<Violation> onApprover(Identity approver, Identity requester, Classification classification) {
        return Optional.empty();
    }

    /** When an approver approves a request; by default the same as {@link #onApprover}. */
    default Optional<Violation> atApproval(ApprovalAttempt attempt) {
        return onApprover(attempt.approver(), attempt.requester(), attempt.target().classification());
    }

    /** When a session starts. */
    default Optional<Violation> atSessionStart(AccessAttempt attempt) {
        return Optional.empty();
    }
}
