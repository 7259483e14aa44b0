package dev.portier.access.approval;

import dev.portier.access.identity.Identity;
import java.util.Objects;

/** One approval of a request, with the approver's current identity (teams and roles decide which groups it fills). */
public record ApproverVote(Identity approver) {
    public ApproverVote {
        Objects.requireNonNull(approver, "approver");
    }
}
