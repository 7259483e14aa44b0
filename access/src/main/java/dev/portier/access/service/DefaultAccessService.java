package dev.portier.access.service;

import dev.portier.access.audit.AuditEvent;
import dev.portier.access.audit.AuditException;
import dev.portier.access.audit.AuditSink;
import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantSigner;
import dev.portier.access.identity.Identity;
import dev.portier.access.identity.IdentityProvider;
import dev.portier.access.policy.PolicyEngine;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import dev.portier.access.store.AccessStore;
import dev.portier.access.sod.HeldAccess;
import dev.portier.access.sod.People;
import dev.portier.access.sod.SodEngine;
import dev.portier.access.store.StoreException;
import dev.portier.config.PolicyConfig;
import dev.portier.config.PortierConfig;
import dev.portier.config.TargetConfig;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The request lifecycle: filing, approving, denying, cancelling, expiring. Grants, sessions and revocation
 * live in {@link GrantKeeper}; this class hands them over. Every refusal is an {@link AccessException} with a
 * code, audited with the rule that decided.
 */
public final class DefaultAccessService implements AccessService {
    static final Duration DEFAULT_PENDING = Duration.ofHours(24);
    private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._#/:-]{0,63}");
    private static final int MAX_REASON = 500;
    private static final SecureRandom RANDOM = new SecureRandom();

    final PortierConfig config;
    final PolicyEngine policies;
    final AccessStore store;
    final IdentityProvider identities;
    final GrantSigner signer;
    final AuditSink audit;
    final Notifier notifier;
    final Clock clock;
    final Rules rules;
    final List<GrantListener> listeners = new CopyOnWriteArrayList<>();
    private final GrantKeeper grants;

    public DefaultAccessService(PortierConfig config, PolicyEngine policies, AccessStore store,
            IdentityProvider identities, GrantSigner signer, AuditSink audit, Notifier notifier, Clock clock) {
        this.config = config;
        this.policies = policies;
        this.store = store;
        this.identities = identities;
        this.signer = signer;
        this.audit = audit;
        this.notifier = notifier;
        this.clock = clock;
        this.rules = new Rules(new SodEngine(config), this::heldBy);
        this.grants = new GrantKeeper(this);
    }

    @Override
    public RequestResult request(Identity who, RequestSpec spec) throws AccessException {
        TargetConfig target = policies.inventory().find(spec.target()).orElse(null);
        if (target == null) {
            throw refuse(who, null, null, "unknown-target", "unknown target " + spec.target()
                    + "; run: ssh portier targets");
        }
        String account = spec.account() != null ? spec.account() : target.defaultAccount();
        if (!target.accounts().contains(account)) {
            throw refuse(who, target.name(), null, "unknown-account", target.name() + " has no account " + account
                    + "; its accounts: " + String.join(", ", target.accounts()));
        }
        String reason = checkReason(who, target, spec.reason());
        if (spec.ticket() != null && !TICKET.matcher(spec.ticket()).matches()) {
            throw refuse(who, target.name(), null, "bad-ticket", "--ticket must be letters, digits and . _ # / : -");
        }
        var conflict = rules.loginViolation(who);
        if (conflict.isPresent()) {
            throw refuse(who, target.name(), null, "sod", conflict.get());
        }
        List<PolicyConfig> applicable = policies.policiesFor(who, target.name(), account);
        if (applicable.isEmpty()) {
            throw refuse(who, target.name(), null, "no-policy", "no policy lets you request " + target.name() + "/"
                    + account + "; ask your security officer");
        }
        Instant now = clock.instant();
        if (spec.breakGlass()) {
            return grants.breakGlass(who, target, account, reason, spec, applicable, now);
        }
        PolicyConfig policy = applicable.stream().filter(p -> p.approval() != null && p.approval().required())
                .findFirst().orElse(null);
        if (policy == null) {
            throw refuse(who, target.name(), null, "standing", "you already have standing access to " + target.name()
                    + "/" + account + " (policy " + applicable.get(0).name() + "); no request is needed");
        }
        var tooLong = spec.duration() == null ? java.util.Optional.<String>empty()
                : rules.durationViolation(policy, spec.duration(), false);
        if (tooLong.isPresent()) {
            throw refuse(who, target.name(), policy.name(), "duration-too-long", tooLong.get());
        }
        Duration duration = rules.grantDuration(policy, spec.duration(), false);
        if (spec.start() != null && spec.start().isBefore(now.minusSeconds(60))) {
            throw refuse(who, target.name(), policy.name(), "start-in-past", "--start must not be in the past");
        }
        var sod = rules.requestViolation(who, target, policy, now);
        if (sod.isPresent()) {
            throw refuse(who, target.name(), policy.name(), "sod", sod.get());
        }
        AccessRequest r = new AccessRequest(newId("r"), who.user(), who.realm(), target.name(), account, policy.name(),
                reason, spec.ticket(), duration, spec.start(), now, now.plus(pendingTimeout(policy)),
                RequestState.PENDING, policy.approval().singleUse(), false, List.of(), null, null, null, 0);
        var unapprovable = rules.unapprovable(who, identities.all(), target, policy);
        if (unapprovable.isPresent()) {
            throw refuse(who, target.name(), policy.name(), "no-approver", unapprovable.get());
        }
        List<String> approvers = rules.eligibleApprovers(who, identities.all(), r, target, policy);
        try {
            store.insertRequest(r);
        } catch (StoreException e) {
            throw storeFailure(e);
        }
        audit("request.created", who.user(), r, null, "filed", Map.of("approvers", approvers,
                "duration", duration.toString()));
        notifier.send("request.created", payload(r));
        return new RequestResult(r, null, approvers);
    }

    @Override
    public AccessRequest approve(Identity approver, String requestId, String comment) throws AccessException {
        for (int attempt = 0; attempt < 5; attempt++) {
            AccessRequest r = pending(approver, requestId);
            TargetConfig target = target(r.target());
            PolicyConfig policy = policy(r);
            Identity requester = identities.lookup(r.requester()).orElse(null);
            if (requester == null) {
                throw refuse(approver, r, "requester-gone", "the requester " + r.requester()
                        + " is no longer known; the request cannot be approved");
            }
            var violation = rules.approvalViolation(approver, requester, r, target, policy);
            if (violation.isPresent()) {
                throw refuse(approver, r, "sod", violation.get());
            }
            if (r.approvals().stream().anyMatch(a -> People.isNamed(approver, a.approver(), null))) {
                throw refuse(approver, r, "already-approved", "you already approved " + r.id()
                        + "; one person counts once");
            }
            Approval vote = new Approval(approver.user(), clock.instant(), comment);
            try {
                if (!store.addApproval(r.id(), vote, r.version())) {
                    continue;
                }
            } catch (StoreException e) {
                throw storeFailure(e);
            }
            audit("request.approval", approver.user(), r, null, "approval recorded",
                    comment == null ? Map.of() : Map.of("comment", comment));
            return grants.grantIfSatisfied(r.id(), approver);
        }
        throw refuse(approver, null, "conflict", "request " + requestId
                + " changed while approving it; run the command again");
    }

    @Override
    public AccessRequest deny(Identity approver, String requestId, String comment) throws AccessException {
        AccessRequest r = pending(approver, requestId);
        if (comment == null || comment.isBlank()) {
            throw refuse(approver, r, "comment-required", "a denial needs --comment saying why");
        }
        Identity requester = identities.lookup(r.requester()).orElse(approver);
        var violation = rules.approvalViolation(approver, requester, r, target(r.target()), policy(r));
        if (violation.isPresent()) {
            throw refuse(approver, r, "not-an-approver", violation.get());
        }
        return finish(r, RequestState.DENIED, approver.user(), comment, "request.denied");
    }

    @Override
    public AccessRequest cancel(Identity requester, String requestId) throws AccessException {
        AccessRequest r = pending(requester, requestId);
        if (!People.isNamed(requester, r.requester(), r.realm())) {
            throw refuse(requester, r, "not-yours", "only " + r.requester() + " can cancel " + r.id());
        }
        return finish(r, RequestState.CANCELLED, requester.user(), "cancelled by the requester", "request.cancelled");
    }

    AccessRequest finish(AccessRequest r, RequestState state, String by, String why, String event)
            throws AccessException {
        AccessRequest decided = r.withState(state, by, why, clock.instant());
        try {
            if (!store.decide(decided, r.version(), null)) {
                throw new AccessException("conflict", "request " + r.id() + " changed meanwhile; run: requests");
            }
        } catch (StoreException e) {
            throw storeFailure(e);
        }
        audit(event, by, decided, null, why, Map.of());
        notifier.send("request.decided", payload(decided));
        return decided;
    }

    /**
     * The pending request {@code who} acts on. Every refusal here is audited: probing for requests one may not
     * see is worth knowing about, though the answer does not say whether the request exists.
     */
    private AccessRequest pending(Identity who, String id) throws AccessException {
        AccessRequest r;
        try {
            r = store.request(id).orElse(null);
        } catch (StoreException e) {
            throw storeFailure(e);
        }
        String unknown = "no request " + id + "; run: requests";
        if (r == null) {
            throw refuse(who, null, "unknown-request", unknown);
        }
        if (!mayView(who, r)) {
            throw refuse(who, r, "unknown-request", unknown);
        }
        if (r.state() != RequestState.PENDING) {
            throw refuse(who, r, "not-pending", "request " + r.id() + " is "
                    + r.state().name().toLowerCase(Locale.ROOT) + ", not pending");
        }
        if (!clock.instant().isBefore(r.expires())) {
            finish(r, RequestState.EXPIRED, "portier", "nobody decided in time", "request.expired");
            throw refuse(who, r, "not-pending", "request " + r.id() + " has expired");
        }
        return r;
    }

    @Override
    public AccessRequest request(Identity viewer, String requestId) throws AccessException {
        try {
            AccessRequest r = store.request(requestId).orElseThrow(() -> new AccessException("unknown-request",
                    "no request " + requestId + "; run: requests"));
            if (!mayView(viewer, r)) {
                throw new AccessException("unknown-request", "no request " + requestId + "; run: requests");
            }
            return r;
        } catch (StoreException e) {
            throw storeFailure(e);
        }
    }

    @Override
    public List<AccessRequest> requests(Identity viewer, boolean pendingOnly) throws AccessException {
        try {
            List<AccessRequest> out = new ArrayList<>();
            for (AccessRequest r : store.requests(null, pendingOnly ? RequestState.PENDING : null, 500)) {
                if (mayView(viewer, r)) {
                    out.add(r);
                }
            }
            return out;
        } catch (StoreException e) {
            throw storeFailure(e);
        }
    }

    /**
     * Own requests (under any spelling of one's name), those the viewer approved, and those the viewer is an
     * approver for; auditors see all. Seeing is not deciding: whether this approval may count now (distinct
     * people, exclusive access) is checked when approving, so the refusal can say which rule stands in the way.
     */
    boolean mayView(Identity viewer, AccessRequest r) {
        if (People.isNamed(viewer, r.requester(), r.realm()) || viewer.roles().contains("auditor")
                || r.approvals().stream().anyMatch(a -> People.isNamed(viewer, a.approver(), null))) {
            return true;
        }
        try {
            Identity requester = identities.lookup(r.requester()).orElse(null);
            return requester != null && rules.isApprover(viewer, requester, target(r.target()), policy(r));
        } catch (AccessException e) {
            return false;
        }
    }

    @Override
    public List<String> eligibleApprovers(AccessRequest r) throws AccessException {
        Identity requester = identities.lookup(r.requester()).orElseThrow(() -> new AccessException("requester-gone",
                "the requester " + r.requester() + " is no longer known"));
        return rules.eligibleApprovers(requester, identities.all(), r, target(r.target()), policy(r));
    }

    @Override
    public dev.portier.access.grant.Grant revoke(Identity actor, String grantId, String reason) throws AccessException {
        return grants.revoke(actor, grantId, reason);
    }

    @Override
    public dev.portier.access.grant.Grant review(Identity reviewer, String grantId, String comment)
            throws AccessException {
        return grants.review(reviewer, grantId, comment);
    }

    @Override
    public List<dev.portier.access.grant.Grant> grants(Identity viewer, boolean activeOnly) throws AccessException {
        return grants.list(viewer, activeOnly);
    }

    @Override
    public List<dev.portier.access.grant.Grant> overdueReviews() throws AccessException {
        return grants.overdue();
    }

    @Override
    public SessionAuthorization authorizeSession(Identity who, String target, String account,
            dev.portier.access.policy.ChannelKind channel) throws AccessException {
        return grants.authorize(who, target, account, channel);
    }

    @Override
    public void sessionStarted(Grant grant, String sessionId) throws AccessException {
        grants.sessionStarted(grant, sessionId);
    }

    /** Expires what is due: pending requests nobody decided, and grants past their end. Called every second. */
    public void sweep() {
        grants.sweep(clock.instant());
    }

    /** A user left the identity source: their grants, pending requests and pending approvals go. */
    public void identityRemoved(String user, String cause) {
        grants.identityRemoved(user, cause);
    }

    /**
     * {@code now} is who the user is at present (teams or roles changed in the identity source): each active grant
     * and pending request of theirs whose policy no longer admits them ends, revoked or cancelled with the reason
     * {@code cause} gives for it (policy, grant or request id). What other policies still cover stays.
     *
     * @return the ids of the grants revoked and requests cancelled
     */
    public List<String> basisLost(Identity now, java.util.function.BiFunction<PolicyConfig, String, String> cause) {
        return grants.basisLost(now, cause);
    }

    @Override
    public java.util.Optional<String> loginRefusal(Identity who) {
        return rules.loginViolation(who);
    }

    @Override
    public void addListener(GrantListener listener) {
        listeners.add(listener);
    }

    /** What {@code user} holds now: targets of active grants and pending requests (store reads). */
    HeldAccess heldBy(String user) {
        List<HeldAccess.Held> out = new ArrayList<>();
        try {
            for (Grant g : store.grants(user, true, 1000)) {
                policies.inventory().find(g.target()).ifPresent(t -> out.add(HeldAccess.Held.grant(t, g.id())));
            }
            for (AccessRequest r : store.requests(user, RequestState.PENDING, 1000)) {
                policies.inventory().find(r.target()).ifPresent(t -> out.add(HeldAccess.Held.pendingRequest(t, r.id())));
            }
        } catch (StoreException e) {
            // Fail closed: a check that cannot see what is held must refuse, not assume nothing is held.
            throw new IllegalStateException("cannot read held access: " + e.getMessage(), e);
        }
        return HeldAccess.of(out);
    }

    TargetConfig target(String name) throws AccessException {
        return policies.inventory().find(name).orElseThrow(() -> new AccessException("unknown-target",
                "unknown target " + name + "; run: ssh portier targets"));
    }

    PolicyConfig policy(AccessRequest r) throws AccessException {
        return config.policies().stream().filter(p -> p.name().equals(r.policy())).findFirst()
                .orElseThrow(() -> new AccessException("unknown-policy", "policy " + r.policy()
                        + " no longer exists; the request cannot proceed"));
    }

    private String checkReason(Identity who, TargetConfig target, String reason) throws AccessException {
        if (reason == null || reason.isBlank()) {
            throw refuse(who, target.name(), null, "reason-required", "a request needs --reason saying why");
        }
        String r = reason.strip();
        if (r.length() > MAX_REASON || r.codePoints().anyMatch(Character::isISOControl)) {
            throw refuse(who, target.name(), null, "bad-reason", "--reason must be one line of at most " + MAX_REASON
                    + " characters");
        }
        return r;
    }

    static Duration pendingTimeout(PolicyConfig p) {
        return p.approval().pendingTimeout() != null ? p.approval().pendingTimeout() : DEFAULT_PENDING;
    }

    static String newId(String prefix) {
        byte[] b = new byte[5];
        RANDOM.nextBytes(b);
        return prefix + "-" + HexFormat.of().formatHex(b);
    }

    AccessException refuse(Identity who, String target, String policy, String code, String message) {
        return refuse(who, target, policy, null, code, message);
    }

    /** A refusal about one request ({@code r} null when there is none to name). */
    AccessException refuse(Identity who, AccessRequest r, String code, String message) {
        return r == null ? refuse(who, null, null, null, code, message)
                : refuse(who, r.target(), r.policy(), r.id(), code, message);
    }

    AccessException refuse(Identity who, String target, String policy, String requestId, String code,
            String message) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (policy != null) {
            d.put("policy", policy);
        }
        audit(new AuditEvent(clock.instant(), "access.refused", who.user(), target, null, requestId, "deny",
                code + ": " + message, d));
        return new AccessException(code, message);
    }

    static AccessException storeFailure(StoreException e) {
        return new AccessException("store-unavailable", "the access store is unavailable (" + e.getMessage()
                + "); nothing was changed, try again or tell a Portier administrator", e);
    }

    void audit(String type, String actor, AccessRequest r, String grantId, String reason, Map<String, Object> extra) {
        Map<String, Object> d = new LinkedHashMap<>(extra);
        d.put("account", r.account());
        d.put("policy", r.policy());
        d.put("state", r.state().name().toLowerCase());
        if (grantId != null) {
            d.put("grantId", grantId);
        }
        audit(new AuditEvent(clock.instant(), type, actor, r.target(), null, r.id(), decisionOf(type), reason, d));
    }

    /**
     * Every line states a decision: a request filed, a vote recorded, a grant issued are allowed; a request
     * denied, expired or cancelled is a denial.
     */
    private static String decisionOf(String type) {
        return type.endsWith("denied") || type.endsWith("expired") || type.endsWith("cancelled") ? "deny" : "allow";
    }

    void audit(AuditEvent e) {
        try {
            audit.record(e);
        } catch (AuditException ex) {
            throw new IllegalStateException("the audit log cannot be written: " + ex.getMessage(), ex);
        }
    }

    static Map<String, Object> payload(AccessRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", r.id());
        m.put("requester", r.requester());
        m.put("target", r.target());
        m.put("account", r.account());
        m.put("policy", r.policy());
        m.put("state", r.state().name().toLowerCase());
        m.put("reason", r.reason());
        if (r.ticket() != null) {
            m.put("ticket", r.ticket());
        }
        return m;
    }
}
