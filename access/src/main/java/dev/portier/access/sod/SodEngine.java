package dev.portier.access.sod;

import dev.portier.access.identity.Identity;
import dev.portier.access.request.AccessRequest;
import dev.portier.config.Classification;
import dev.portier.config.PolicyConfig;
import dev.portier.config.PortierConfig;
import dev.portier.config.SodConfig;
import dev.portier.config.TargetConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs the SoD rules at each checkpoint. The built-in rules come first (no self-approval, distinct people; they
 * cannot be turned off), then approver independence when configured, the supplier rule, and the configured
 * exclusive-access and role-conflict rules in config order.
 *
 * <p>Each check returns every violation, in rule order; an empty list means the rules allow it. The engine is
 * immutable and does no I/O: callers pass the time and what the user holds.
 */
public final class SodEngine {
    private final List<SodRule> rules;
    private final SupplierRule suppliers;

    public SodEngine(PortierConfig config) {
        this(Objects.requireNonNull(config, "config").sod());
    }

    public SodEngine(SodConfig config) {
        Objects.requireNonNull(config, "sod");
        List<SodRule> rs = new ArrayList<>();
        rs.add(new NoSelfApprovalRule());
        rs.add(new DistinctPeopleRule());
        if (config.approverIndependence() != null) {
            rs.add(new ApproverIndependenceRule(config.approverIndependence()));
        }
        this.suppliers = new SupplierRule(config.suppliers());
        rs.add(suppliers);
        config.exclusiveAccess().forEach(e -> rs.add(new ExclusiveAccessRule(e)));
        config.roleConflicts().forEach(r -> rs.add(new RoleConflictRule(r)));
        this.rules = List.copyOf(rs);
    }

    /** The rules in the order they are asked. */
    public List<SodRule> rules() {
        return rules;
    }

    /** At login: role conflicts. */
    public List<Violation> checkLogin(Identity user) {
        Objects.requireNonNull(user, "user");
        return collect(r -> r.atLogin(user));
    }

    /** When {@code requester} files a request for {@code target} under {@code policy}. */
    public List<Violation> checkRequest(Identity requester, TargetConfig target, PolicyConfig policy, Instant now,
                                        HeldAccess held) {
        AccessAttempt attempt = attempt(requester, target, policy, now, held);
        return collect(r -> r.atRequest(attempt));
    }

    /**
     * Whether {@code approver} may approve {@code requester}'s requests on targets of this classification at all
     * (no self-approval, approver independence, the approver's own role conflicts); for listing who could
     * approve before anyone has.
     */
    public List<Violation> checkApprover(Identity approver, Identity requester, Classification classification) {
        Objects.requireNonNull(approver, "approver");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(classification, "classification");
        return collect(r -> r.onApprover(approver, requester, classification));
    }

    /**
     * When {@code approver} approves {@code request}: no self-approval (also through the name stored in the
     * request), distinct people, approver independence, and the requester's exclusive access and contract.
     *
     * @param requesterHeld what the requester holds now, this request included
     */
    public List<Violation> checkApproval(Identity approver, AccessRequest request, Identity requester,
                                         TargetConfig target, HeldAccess requesterHeld) {
        ApprovalAttempt attempt = new ApprovalAttempt(Objects.requireNonNull(approver, "approver"),
                Objects.requireNonNull(request, "request"), Objects.requireNonNull(requester, "requester"),
                Objects.requireNonNull(target, "target"), requesterHeld == null ? HeldAccess.NONE : requesterHeld);
        return collect(r -> r.atApproval(attempt));
    }

    /** When {@code user} starts a session on {@code target} under {@code policy}. */
    public List<Violation> checkSessionStart(Identity user, TargetConfig target, PolicyConfig policy, Instant now,
                                             HeldAccess held) {
        AccessAttempt attempt = attempt(user, target, policy, now, held);
        return collect(r -> r.atSessionStart(attempt));
    }

    public boolean isSupplier(Identity user) {
        return suppliers.isSupplier(user);
    }

    /** Suppliers' input is always recorded, whatever {@code recording.input} says. */
    public boolean recordInputForced(Identity user) {
        return suppliers.isSupplier(user);
    }

    /** When a supplier's session must end because the policy's window closes; empty when no window limits it. */
    public Optional<Instant> sessionDeadline(Identity user, PolicyConfig policy, Instant now) {
        return suppliers.windowEnd(user, policy, now);
    }

    private static AccessAttempt attempt(Identity user, TargetConfig target, PolicyConfig policy, Instant now,
                                         HeldAccess held) {
        return new AccessAttempt(Objects.requireNonNull(user, "user"), Objects.requireNonNull(target, "target"),
                Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(now, "now"),
                held == null ? HeldAccess.NONE : held);
    }

    /** Every rule's answer, in rule order. */
    private List<Violation> collect(Function<SodRule, Optional<Violation>> check) {
        List<Violation> out = new ArrayList<>(0);
        for (SodRule rule : rules) {
            check.apply(rule).ifPresent(out::add);
        }
        return out.isEmpty() ? List.of() : List.copyOf(out);
    }
}
