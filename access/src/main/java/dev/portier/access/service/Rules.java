package dev.portier.access.service;

import dev.portier.access.approval.ApprovalProgress;
import dev.portier.access.approval.ApprovalRule;
import dev.portier.access.approval.ApproverVote;
import dev.portier.access.approval.GrantLimits;
import dev.portier.access.identity.Identity;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.sod.HeldAccess;
import dev.portier.access.sod.SodEngine;
import dev.portier.access.sod.Violation;
import dev.portier.config.PolicyConfig;
import dev.portier.config.TargetConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place the service asks the approval rules and the SoD engine; each refusal message names the rule
 * that decided. {@code held} gives what a user holds now (read from the store), for exclusive-access checks.
 */
final class Rules {
    private final SodEngine sod;
    private final Function<String, HeldAccess> held;

    Rules(SodEngine sod, Function<String, HeldAccess> held) {
        this.sod = sod;
        this.held = held;
    }

    SodEngine sod() {
        return sod;
    }

    Optional<String> loginViolation(Identity id) {
        return first(sod.checkLogin(id));
    }

    Optional<String> requestViolation(Identity requester, TargetConfig target, PolicyConfig policy, Instant now) {
        return first(sod.checkRequest(requester, target, policy, now, held.apply(requester.user())));
    }

    Optional<String> durationViolation(PolicyConfig policy, Duration requested, boolean breakGlass) {
        Optional<Violation> v = breakGlass ? GrantLimits.checkBreakGlass(policy) : Optional.empty();
        if (v.isEmpty()) {
            v = GrantLimits.checkDuration(policy, requested, breakGlass);
        }
        return v.map(Violation::message);
    }

    Duration grantDuration(PolicyConfig policy, Duration requested, boolean breakGlass) {
        return GrantLimits.grantDuration(policy, requested, breakGlass);
    }

    /** SoD (self-approval, independence, exclusive access) and group membership for one approver. */
    Optional<String> approvalViolation(Identity approver, Identity requester, AccessRequest request,
            TargetConfig target, PolicyConfig policy) {
        Optional<String> v = first(sod.checkApproval(approver, request, requester, target,
                held.apply(requester.user())));
        if (v.isPresent()) {
            return v;
        }
        return ApprovalRule.of(policy, target, sod).checkMembership(approver).map(Violation::message);
    }

    /**
     * Whether {@code viewer} is among the people who may approve such requests at all: in an approver group,
     * not the requester, not excluded by an SoD rule. What they may do with one request is
     * {@link #approvalViolation}'s question.
     */
    boolean isApprover(Identity viewer, Identity requester, TargetConfig target, PolicyConfig policy) {
        return policy.approval() != null
                && !ApprovalRule.of(policy, target, sod).eligibleApprovers(requester, List.of(viewer)).isEmpty();
    }

    ApprovalProgress progress(Identity requester, List<Identity> approvers, TargetConfig target, PolicyConfig policy) {
        return ApprovalRule.of(policy, target, sod).evaluate(requester,
                approvers.stream().map(ApproverVote::new).toList());
    }

    /** Why nobody could approve this request (so the requester is told at once), if so. */
    Optional<String> unapprovable(Identity requester, Collection<Identity> everyone, TargetConfig target,
            PolicyConfig policy) {
        return ApprovalRule.of(policy, target, sod).unapprovable(requester, everyone).map(Violation::message);
    }

    List<String> eligibleApprovers(Identity requester, Collection<Identity> everyone, AccessRequest request,
            TargetConfig target, PolicyConfig policy) {
        return ApprovalRule.of(policy, target, sod).eligibleApprovers(requester, everyone).stream()
                .filter(u -> request.approvals().stream().noneMatch(a -> a.approver().equalsIgnoreCase(u)))
                .toList();
    }

    Optional<String> sessionViolation(Identity who, TargetConfig target, PolicyConfig policy, Instant now) {
        return first(sod.checkSessionStart(who, target, policy, now, held.apply(who.user())));
    }

    boolean recordInputForced(Identity who) {
        return sod.recordInputForced(who);
    }

    private static Optional<String> first(List<Violation> vs) {
        return vs.isEmpty() ? Optional.empty() : Optional.of(vs.get(0).message());
    }
}
