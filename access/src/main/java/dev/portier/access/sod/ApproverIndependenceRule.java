package dev.portier.access.sod;

import dev.portier.access.identity.Identity;
import dev.portier.config.Classification;
import dev.portier.config.SodConfig;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code sod.approverIndependence}: on targets of the chosen classifications, an approver may not share a team
 * with the requester. Teams are compared without case, so a differently spelled team still counts as shared.
 */
public final class ApproverIndependenceRule implements SodRule {
    private final Set<Classification> classifications;

    public ApproverIndependenceRule(SodConfig.ApproverIndependence config) {
        this.classifications = Set.copyOf(config.classifications());
    }

    @Override
    public String name() {
        return SodConfig.APPROVER_INDEPENDENCE;
    }

    @Override
    public Optional<Violation> onApprover(Identity approver, Identity requester, Classification classification) {
        if (!classifications.contains(classification)) {
            return Optional.empty();
        }
        Set<String> theirs = requester.teams().stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Set<String> shared = new TreeSet<>();
        for (String team : approver.teams()) {
            if (theirs.contains(team.toLowerCase(Locale.ROOT))) {
                shared.add(team);
            }
        }
        if (shared.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Violation.sod(name(), "you share team " + String.join(", ", shared) + " with requester "
                + requester.user() + ", and " + classification.key()
                + " targets need an approver from outside the requester's teams"));
    }
}
