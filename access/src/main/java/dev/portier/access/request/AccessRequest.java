package dev.portier.access.request;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A request for time-boxed access to one account on one target, under one policy.
 *
 * @param start       when the grant should start; null = as soon as approved
 * @param expires     when a still-pending request expires (nobody decided in time)
 * @param approvals   distinct approvers so far, in order
 * @param decidedBy   who denied or cancelled it (or "portier" for expiry); null while pending or when approved
 * @param version     optimistic-concurrency version, bumped by every stored change
 */
public record AccessRequest(
        String id,
        String requester,
        String realm,
        String target,
        String account,
        String policy,
        String reason,
        String ticket,
        Duration duration,
        Instant start,
        Instant created,
        Instant expires,
        RequestState state,
        boolean singleUse,
        boolean breakGlass,
        List<Approval> approvals,
        String decidedBy,
        String comment,
        Instant decidedAt,
        long version) {

    public AccessRequest {
        approvals = List.copyOf(approvals);
    }

    public AccessRequest withState(RequestState s, String by, String why, Instant at) {
        return new AccessRequest(id, requester, realm, target, account, policy, reason, ticket, duration, start,
                created, expires, s, singleUse, breakGlass, approvals, by, why, at, version);
    }
}
