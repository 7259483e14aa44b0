package dev.portier.access.sod;

import dev.portier.access.identity.Identity;
import dev.portier.config.Classification;
import dev.portier.config.SodConfig;
import java.util.Optional;

/**
 * Always on: nobody approves their own request, whatever spelling of their name they log in with. At approval
 * the approver is compared with the requester's identity and with the name stored in the request, so a request
 * whose requester identity could not be looked up is still protected.
 */
public final class NoSelfApprovalRule implements SodRule {
    @Override
    public String name() {
        return SodConfig.NO_SELF_APPROVAL;
    }

    @Override
    public Optional<Violation> onApprover(Identity approver, Identity requester, Classification classification) {
        return People.same(approver, requester) ? Optional.of(violation("your own request")) : Optional.empty();
    }

    @Override
    public Optional<Violation> atApproval(ApprovalAttempt a) {
        boolean self = People.same(a.approver(), a.requester())
                || People.isNamed(a.approver(), a.request().requester(), a.request().realm());
        return self ? Optional.of(violation("your own request " + a.request().id())) : Optional.empty();
    }

    private Violation violation(String what) {
        return Violation.sod(name(), "you cannot approve " + what + "; another approver must decide it");
    }
}
