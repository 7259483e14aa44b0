package dev.portier.access.service;

import dev.portier.access.audit.AuditEvent;
import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantState;
import dev.portier.access.identity.Identity;
import dev.portier.access.policy.AccessQuery;
import dev.portier.access.policy.ChannelKind;
import dev.portier.access.policy.Decision;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import dev.portier.access.store.StoreException;
import dev.portier.config.PolicyConfig;
import dev.portier.config.TargetConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grants: issued when approvals satisfy the policy (or at once for break-glass), checked at session start,
 * ended by expiry, revocation, single use or the user leaving. Signs each grant and tells the listeners when
 * one ends so that live sessions close on time.
 */
final class GrantKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(GrantKeeper.class);
    private static final Duration REVIEW_WINDOW = Duration.ofHours(24);

    private final DefaultAccessService s;

    GrantKeeper(DefaultAccessService s) {
        this.s = s;
    }

    /** After an approval: if the policy is now satisfied, approve the request and issue its grant, atomically. */
    AccessRequest grantIfSatisfied(String requestId, Identity lastApprover) throws AccessException {
        for (int attempt = 0; attempt < 5; attempt++) {
            AccessRequest r = load(requestId);
            if (r.state() != RequestState.PENDING) {
                return r;
            }
            Identity requester = s.identities.lookup(r.requester()).orElse(null);
            List<Identity> voters = new ArrayList<>();
            for (Approval a : r.approvals()) {
                s.identities.lookup(a.approver()).ifPresent(voters::add);
            }
            if (requester == null) {
                return r;
            }
            dev.portier.access.approval.ApprovalProgress p = s.rules.progress(requester, voters, s.target(r.target()),
                    s.policy(r));
            if (!p.satisfied()) {
                return r;
            }
            Instant now = s.clock.instant();
            Instant start = r.start() != null && r.start().isAfter(now) ? r.start() : now;
            Grant g = sign(new Grant(DefaultAccessService.newId("g"), r.id(), r.requester(), r.target(), r.account(),
                    r.policy(), start, start.plus(r.duration()), GrantState.ACTIVE,
                    // The people whose approvals counted: a stored vote that no longer counts (its author left
                    // the approver groups) must not appear in the signed statement.
                    p.counted(), r.reason(), r.ticket(), r.singleUse(), false, null, null, null, null, null, 0));
            AccessRequest approved = r.withState(RequestState.APPROVED, null, "approved", now);
            try {
                if (!s.store.decide(approved, r.version(), g)) {
                    continue;
                }
            } catch (StoreException e) {
                throw DefaultAccessService.storeFailure(e);
            }
            s.audit("request.approved", lastApprover.user(), approved, g.id(), "approval rule satisfied",
                    Map.of("approvers", g.approvers()));
            s.audit("grant.issued", "portier", approved, g.id(), "granted until " + g.end(),
                    Map.of("start", g.start().toString(), "end", g.end().toString()));
            Map<String, Object> payload = DefaultAccessService.payload(approved);
            payload.put("grantId", g.id());
            payload.put("end", g.end().toString());
            s.notifier.send("request.decided", payload);
            return approved;
        }
        throw new AccessException("conflict", "the request changed while granting it; run: requests");
    }

    RequestResult breakGlass(Identity who, TargetConfig target, String account, String reason, RequestSpec spec,
            List<PolicyConfig> applicable, Instant now) throws AccessException {
        PolicyConfig policy = applicable.stream().filter(PolicyConfig::breakGlassAllowed).findFirst().orElse(null);
        if (policy == null) {
            throw s.refuse(who, target.name(), null, "break-glass-not-allowed", "refused by rule break-glass: no policy"
                    + " allows break-glass access to " + target.name() + "/" + account);
        }
        if (spec.duration() != null) {
            var tooLong = s.rules.durationViolation(policy, spec.duration(), true);
            if (tooLong.isPresent()) {
                throw s.refuse(who, target.name(), policy.name(), "duration-too-long", tooLong.get());
            }
        }
        Duration duration = s.rules.grantDuration(policy, spec.duration(), true);
        var sod = s.rules.requestViolation(who, target, policy, now);
        if (sod.isPresent()) {
            throw s.refuse(who, target.name(), policy.name(), "sod", sod.get());
        }
        AccessRequest r = new AccessRequest(DefaultAccessService.newId("r"), who.user(), who.realm(), target.name(),
                account, policy.name(), reason, spec.ticket(), duration, null, now, now, RequestState.PENDING, false,
                true, List.of(), null, null, null, 0);
        Grant g = sign(new Grant(DefaultAccessService.newId("g"), r.id(), who.user(), target.name(), account,
                policy.name(), now, now.plus(duration), GrantState.ACTIVE, List.of(), reason, spec.ticket(), false, true,
                null, null, null, null, null, 0));
        AccessRequest approved = r.withState(RequestState.APPROVED, who.user(), "break-glass", now);
        try {
            s.store.insertRequest(r);
            if (!s.store.decide(approved, r.version(), g)) {
                throw new AccessException("conflict", "the break-glass request changed meanwhile; try again");
            }
        } catch (StoreException e) {
            throw DefaultAccessService.storeFailure(e);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("severity", "high");
        d.put("end", g.end().toString());
        d.put("reviewDue", now.plus(REVIEW_WINDOW).toString());
        s.audit("breakglass.granted", who.user(), approved, g.id(), reason, d);
        Map<String, Object> payload = DefaultAccessService.payload(approved);
        payload.put("grantId", g.id());
        payload.put("severity", "high");
        s.notifier.send("breakglass", payload);
        return new RequestResult(approved, g, List.of());
    }

    private Grant sign(Grant g) {
        String jws = s.signer.sign(g);
        return new Grant(g.id(), g.requestId(), g.user(), g.target(), g.account(), g.policy(), g.start(), g.end(),
                g.state(), g.approvers(), g.reason(), g.ticket(), g.singleUse(), g.breakGlass(), jws, g.endedBy(),
                g.endedAt(), g.reviewedBy(), g.reviewedAt(), g.version());
    }

    Grant revoke(Identity actor, String grantId, String reason) throws AccessException {
        Grant g = grant(actor, grantId);
        boolean own = g.user().equals(actor.user());
        if (!own && !privileged(actor)) {
            throw s.refuse(actor, g.target(), g.policy(), g.requestId(), "not-allowed", "only " + g.user()
                    + " or an approver can revoke " + g.id());
        }
        if (g.state() != GrantState.ACTIVE) {
            throw s.refuse(actor, g.target(), g.policy(), g.requestId(), "not-active", "grant " + g.id() + " is "
                    + g.state().name().toLowerCase(Locale.ROOT));
        }
        return end(g, GrantState.REVOKED, actor.user(), reason == null ? "revoked by " + actor.user() : reason);
    }

    Grant review(Identity reviewer, String grantId, String comment) throws AccessException {
        Grant g = grant(reviewer, grantId);
        if (!g.breakGlass()) {
            throw s.refuse(reviewer, g.target(), g.policy(), g.requestId(), "not-break-glass", "grant " + g.id()
                    + " is not a break-glass grant");
        }
        if (g.user().equalsIgnoreCase(reviewer.user())) {
            throw s.refuse(reviewer, g.target(), g.policy(), g.requestId(), "sod", "refused by SoD rule"
                    + " no-self-approval: you cannot review your own break-glass access");
        }
        if (!privileged(reviewer)) {
            throw s.refuse(reviewer, g.target(), g.policy(), g.requestId(), "not-allowed", "only an approver can"
                    + " review " + g.id());
        }
        if (g.reviewedBy() != null) {
            throw s.refuse(reviewer, g.target(), g.policy(), g.requestId(), "already-reviewed", "grant " + g.id()
                    + " was reviewed by " + g.reviewedBy());
        }
        Instant now = s.clock.instant();
        Grant reviewed = new Grant(g.id(), g.requestId(), g.user(), g.target(), g.account(), g.policy(), g.start(),
                g.end(), g.state(), g.approvers(), g.reason(), g.ticket(), g.singleUse(), g.breakGlass(), g.jws(),
                g.endedBy(), g.endedAt(), reviewer.user(), now, g.version());
        update(reviewed, g.version());
        s.audit(new AuditEvent(now, "breakglass.reviewed", reviewer.user(), g.target(), null, g.requestId(), "allow",
                comment == null ? "reviewed" : comment, Map.of("grantId", g.id())));
        return reviewed;
    }

    List<Grant> list(Identity viewer, boolean activeOnly) throws AccessException {
        try {
            return s.store.grants(privileged(viewer) ? null : viewer.user(), activeOnly, 500);
        } catch (StoreException e) {
            throw DefaultAccessService.storeFailure(e);
        }
    }

    List<Grant> overdue() throws AccessException {
        Instant cutoff = s.clock.instant().minus(REVIEW_WINDOW);
        List<Grant> out = new ArrayList<>();
        try {
            for (Grant g : s.store.grants(null, false, 5000)) {
                if (g.breakGlass() && g.reviewedBy() == null && g.start().isBefore(cutoff)) {
                    out.add(g);
                }
            }
        } catch (StoreException e) {
            throw DefaultAccessService.storeFailure(e);
        }
        return out;
    }

    SessionAuthorization authorize(Identity who, String target, String accountOrNull, ChannelKind channel)
            throws AccessException {
        // The policy engine reads a null account as the target's default one; the grant lookup must too.
        String account = accountOrNull != null ? accountOrNull
                : s.policies.inventory().find(target).map(TargetConfig::defaultAccount).orElse(null);
        var conflict = s.rules.loginViolation(who);
        if (conflict.isPresent()) {
            return deny("sod", conflict.get(), false);
        }
        Decision d = s.policies.decide(new AccessQuery(who, target, account, channel));
        boolean recordInput = s.rules.recordInputForced(who);
        if (d.permitted()) {
            String policy = ((Decision.Permit) d).policy();
            Optional<String> v = sessionViolation(who, target, policy);
            return v.isPresent() ? deny("sod", v.get(), false)
                    : new SessionAuthorization(d, null, recordInput, false, deadline(who, policy, null));
        }
        if (!"approval-required".equals(((Decision.Deny) d).code())) {
            return new SessionAuthorization(d, null, recordInput, false);
        }
        List<Grant> active;
        try {
            active = s.store.activeGrants(who.user(), target, account, s.clock.instant());
        } catch (StoreException e) {
            throw DefaultAccessService.storeFailure(e);
        }
        if (active.isEmpty()) {
            return new SessionAuthorization(d, null, recordInput, true);
        }
        Grant g = active.get(0);
        Optional<String> v = sessionViolation(who, target, g.policy());
        if (v.isPresent()) {
            return deny("sod", v.get(), false);
        }
        Decision permit = new Decision.Permit(g.policy(), "grant:" + g.id(), "access to " + target + "/" + account
                + " allowed by grant " + g.id() + " until " + g.end(), d.explanation());
        return new SessionAuthorization(permit, g, recordInput, false, deadline(who, g.policy(), g.end()));
    }

    /** The earlier of the grant's end and the moment a supplier's window closes. */
    private Instant deadline(Identity who, String policyName, Instant grantEnd) {
        Instant window = s.config.policy(policyName)
                .flatMap(p -> s.rules.sod().sessionDeadline(who, p, s.clock.instant())).orElse(null);
        if (window == null) {
            return grantEnd;
        }
        return grantEnd == null || window.isBefore(grantEnd) ? window : grantEnd;
    }

    private Optional<String> sessionViolation(Identity who, String target, String policyName) throws AccessException {
        PolicyConfig policy = s.config.policies().stream().filter(p -> p.name().equals(policyName)).findFirst()
                .orElse(null);
        return policy == null ? Optional.empty()
                : s.rules.sessionViolation(who, s.target(target), policy, s.clock.instant());
    }

    private static SessionAuthorization deny(String code, String message, boolean requestable) {
        return new SessionAuthorization(new Decision.Deny(code, message, List.of(message)), null, false, requestable);
    }

    /**
     * Spends a single-use grant. Two sessions authorized at the same moment both saw it active; only the one
     * that marks it used goes on, the other is refused here (the caller ends that session).
     */
    void sessionStarted(Grant g, String sessionId) throws AccessException {
        if (!g.singleUse()) {
            return;
        }
        Grant current = grant(g.id());
        Instant now = s.clock.instant();
        boolean spent;
        try {
            spent = current.state() == GrantState.ACTIVE
                    && s.store.updateGrant(withState(current, GrantState.USED, "portier", now), current.version());
        } catch (StoreException e) {
            throw DefaultAccessService.storeFailure(e);
        }
        if (!spent) {
            String message = "single-use grant " + g.id() + " for " + g.target() + "/" + g.account()
                    + " was already used or has ended; file a new request for another session";
            s.audit(new AuditEvent(now, "access.refused", g.user(), g.target(), sessionId, g.requestId(), "deny",
                    "grant-used: " + message, Map.of("grantId", g.id())));
            throw new AccessException("grant-used", message);
        }
        // The session goes on; the grant admits no further session.
        s.audit(new AuditEvent(now, "grant.used", g.user(), g.target(), sessionId, g.requestId(), "allow",
                "single-use grant used", Map.of("grantId", g.id())));
    }

    void sweep(Instant now) {
        try {
            for (AccessRequest r : s.store.expiredPending(now)) {
                try {
                    s.finish(r, RequestState.EXPIRED, "portier", "nobody decided in time", "request.expired");
                } catch (AccessException e) {
                    LOG.debug("request {} not expired now: {}", r.id(), e.getMessage());
                }
            }
            for (Grant g : s.store.endedActive(now)) {
                try {
                    end(g, GrantState.EXPIRED, "portier", "the grant's time is up");
                    s.notifier.send("grant.expired", Map.of("grantId", g.id(), "user", g.user(), "target", g.target(),
                            "account", g.account(), "end", g.end().toString()));
                } catch (AccessException e) {
                    LOG.debug("grant {} not expired now: {}", g.id(), e.getMessage());
                }
            }
        } catch (StoreException | RuntimeException e) {
            LOG.error("expiry sweep failed: {}", e.toString());
        }
    }

    void identityRemoved(String user, String cause) {
        try {
            for (Grant g : s.store.grants(user, true, 1000)) {
                try {
                    end(g, GrantState.REVOKED, "portier", "user left: " + cause);
                } catch (AccessException e) {
                    LOG.warn("grant {} of leaver {} not revoked: {}", g.id(), user, e.getMessage());
                }
            }
            for (AccessRequest r : s.store.requests(user, RequestState.PENDING, 1000)) {
                try {
                    s.finish(r, RequestState.CANCELLED, "portier", "requester left: " + cause, "request.cancelled");
                } catch (AccessException e) {
                    LOG.warn("request {} of leaver {} not cancelled: {}", r.id(), user, e.getMessage());
                }
            }
            int dropped = s.store.removePendingApprovals(user);
            s.audit(new AuditEvent(s.clock.instant(), "identity.removed", "portier", null, null, null, "deny", cause,
                    Map.of("user", user, "approvalsWithdrawn", dropped)));
        } catch (StoreException e) {
            LOG.error("cannot remove the access of leaver {}: {}", user, e.getMessage());
        }
        s.listeners.forEach(l -> l.userRemoved(user, cause));
    }

    List<String> basisLost(Identity now, java.util.function.BiFunction<PolicyConfig, String, String> cause) {
        List<String> ended = new ArrayList<>();
        try {
            for (Grant g : s.store.grants(now.user(), true, 1000)) {
                Optional<PolicyConfig> p = s.policies.policy(g.policy());
                if (p.isPresent() && !s.policies.admits(g.policy(), now)) {
                    try {
                        end(g, GrantState.REVOKED, "portier", cause.apply(p.get(), g.id()));
                        ended.add(g.id());
                    } catch (AccessException e) {
                        LOG.warn("grant {} of {} not revoked: {}", g.id(), now.user(), e.getMessage());
                    }
                }
            }
            for (AccessRequest r : s.store.requests(now.user(), RequestState.PENDING, 1000)) {
                Optional<PolicyConfig> p = s.policies.policy(r.policy());
                if (p.isPresent() && !s.policies.admits(r.policy(), now)) {
                    try {
                        s.finish(r, RequestState.CANCELLED, "portier", cause.apply(p.get(), r.id()), "request.cancelled");
                        ended.add(r.id());
                    } catch (AccessException e) {
                        LOG.warn("request {} of {} not cancelled: {}", r.id(), now.user(), e.getMessage());
                    }
                }
            }
        } catch (StoreException e) {
            LOG.error("cannot check what {} holds after their teams changed: {}", now.user(), e.getMessage());
        }
        return ended;
    }

    private Grant end(Grant g, GrantState state, String by, String why) throws AccessException {
        Instant now = s.clock.instant();
        Grant ended = withState(g, state, by, now);
        update(ended, g.version());
        s.audit(new AuditEvent(now, "grant." + state.name().toLowerCase(), by, g.target(), null, g.requestId(), "deny",
                why, Map.of("grantId", g.id(), "user", g.user(), "account", g.account())));
        s.listeners.forEach(l -> l.grantEnded(ended, why));
        return ended;
    }

    private static Grant withState(Grant g, GrantState state, String by, Instant at) {
        return new Grant(g.id(), g.requestId(), g.user(), g.target(), g.account(), g.policy(), g.start(), g.end(),
                state, g.approvers(), g.reason(), g.ticket(), g.singleUse(), g.breakGlass(), g.jws(), by, at,
                g.reviewedBy(), g.reviewedAt(), g.version());
    }

    private void update(Grant g, long version) throws AccessException {
        try {
            if (!s.store.updateGrant(g, version)) {
                throw new AccessException("conflict", "grant " + g.id() + " changed meanwhile; run: grants");
            }
        } catch (StoreException e) {
            throw DefaultAccessService.storeFailure(e);
        }
    }

    /** The grant {@code actor} acts on; an unknown id is a refusal, and audited. */
    private Grant grant(Identity actor, String id) throws AccessException {
        try {
            Optional<Grant> g = s.store.grant(id);
            if (g.isEmpty()) {
                throw s.refuse(actor, null, null, "unknown-grant", "no grant " + id + "; run: grants");
            }
            return g.get();
        } catch (StoreException e) {
            throw DefaultAccessService.storeFailure(e);
        }
    }

    private Grant grant(String id) throws AccessException {
        try {
            return s.store.grant(id).orElseThrow(() -> new AccessException("unknown-grant", "no grant " + id
                    + "; run: grants"));
        } catch (StoreException e) {
            throw DefaultAccessService.storeFailure(e);
        }
    }

    private AccessRequest load(String id) throws AccessException {
        try {
            return s.store.request(id).orElseThrow(() -> new AccessException("unknown-request", "no request " + id));
        } catch (StoreException e) {
            throw DefaultAccessService.storeFailure(e);
        }
    }

    static boolean privileged(Identity id) {
        return id.roles().contains("approver") || id.roles().contains("admin");
    }
}
