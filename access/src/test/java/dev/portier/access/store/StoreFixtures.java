package dev.portier.access.store;

import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantState;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Requests and grants with every field set, so the contract tests read as the one field they vary. */
final class StoreFixtures {
    /** Microsecond precision on purpose: the store keeps exactly that much. */
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

    private StoreFixtures() {
    }

    static AccessRequest pending(String id, String requester, Instant created) {
        return new AccessRequest(id, requester, "employees", "rtr-bru-01", "admin", "netops-routers",
                "replace line card", "CHG-1234", Duration.ofHours(2), null, created,
                created.plus(Duration.ofMinutes(30)), RequestState.PENDING, false, false, List.of(), null, null, null,
                0);
    }

    static AccessRequest pending(String id) {
        return pending(id, "alice", T0);
    }

    static AccessRequest withState(AccessRequest r, RequestState state) {
        return r.withState(state, state == RequestState.APPROVED ? null : "bob", "decided", T0.plusSeconds(60));
    }

    static Grant grant(String id, String requestId, Instant start, Instant end) {
        return new Grant(id, requestId, "alice", "rtr-bru-01", "admin", "netops-routers", start, end,
                GrantState.ACTIVE, List.of("bob"), "replace line card", "CHG-1234", false, false,
                "eyJhbGciOiJFZERTQSJ9.e30.c2ln", null, null, null, null, 0);
    }

    static Grant grant(String id, String requestId) {
        return grant(id, requestId, T0, T0.plus(Duration.ofHours(2)));
    }

    static Grant withState(Grant g, GrantState state) {
        return new Grant(g.id(), g.requestId(), g.user(), g.target(), g.account(), g.policy(), g.start(), g.end(),
                state, g.approvers(), g.reason(), g.ticket(), g.singleUse(), g.breakGlass(), g.jws(), g.endedBy(),
                g.endedAt(), g.reviewedBy(), g.reviewedAt(), g.version());
    }

    static Grant forKey(Grant g, String user, String target, String account) {
        return new Grant(g.id(), g.requestId(), user, target, account, g.policy(), g.start(), g.end(), g.state(),
                g.approvers(), g.reason(), g.ticket(), g.singleUse(), g.breakGlass(), g.jws(), g.endedBy(),
                g.endedAt(), g.reviewedBy(), g.reviewedAt(), g.version());
    }

    static Grant withVersion(Grant g, long version) {
        return new Grant(g.id(), g.requestId(), g.user(), g.target(), g.account(), g.policy(), g.start(), g.end(),
                g.state(), g.approvers(), g.reason(), g.ticket(), g.singleUse(), g.breakGlass(), g.jws(),
                g.endedBy(), g.endedAt(), g.reviewedBy(), g.reviewedAt(), version);
    }

    static AccessRequest withVersion(AccessRequest r, long version, List<Approval> approvals) {
        return new AccessRequest(r.id(), r.requester(), r.realm(), r.target(), r.account(), r.policy(), r.reason(),
                r.ticket(), r.duration(), r.start(), r.created(), r.expires(), r.state(), r.singleUse(),
                r.breakGlass(), approvals, r.decidedBy(), r.comment(), r.decidedAt(), version);
    }

    static Approval approval(String approver, int secondsAfterT0) {
        return new Approval(approver, T0.plusSeconds(secondsAfterT0), "ok by " + approver);
    }
}
