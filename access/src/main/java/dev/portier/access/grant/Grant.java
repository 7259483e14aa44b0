package dev.portier.access.grant;

import java.time.Instant;
import java.util.List;

/**
 * Time-boxed access that an approved (or break-glass) request produced.
 *
 * @param approvers  the distinct people whose approvals made it (empty for break-glass until reviewed)
 * @param jws        the signed statement of this grant (compact JWS), carried into recordings
 * @param reviewedBy for break-glass grants: the approver who reviewed it afterwards, null until then
 * @param version    optimistic-concurrency version
 */
public record Grant(
        String id,
        String requestId,
        String user,
        String target,
        String account,
        String policy,
        Instant start,
        Instant end,
        GrantState state,
        List<String> approvers,
        String reason,
        String ticket,
        boolean singleUse,
        boolean breakGlass,
        String jws,
        String endedBy,
        Instant endedAt,
        String reviewedBy,
        Instant reviewedAt,
        long version) {

    public Grant {
        approvers = List.copyOf(approvers);
    }

    /** Active at {@code now}: state ACTIVE and now within [start, end). */
    public boolean activeAt(Instant now) {
        return state == GrantState.ACTIVE && !now.isBefore(start) && now.isBefore(end);
    }
}
