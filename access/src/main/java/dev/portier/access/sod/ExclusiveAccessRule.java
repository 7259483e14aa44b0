package dev.portier.access.sod;

import dev.portier.access.identity.Identity;
import dev.portier.config.Classification;
import dev.portier.config.SodConfig;
import dev.portier.config.TargetConfig;
import dev.portier.config.TargetSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code sod.exclusiveAccess[]} (a toxic combination): nobody holds side {@code a} and side {@code b} at once.
 * A side is targets, held through active grants and pending requests, or roles of the identity. Checked when
 * requesting, when approving (the requester's holdings may have changed since) and when a session starts. A
 * held target with the same name as the one asked for is not a combination (it is the request itself).
 */
public final class ExclusiveAccessRule implements SodRule {
    private final String name;
    private final SodConfig.Side a;
    private final SodConfig.Side b;

    public ExclusiveAccessRule(SodConfig.ExclusiveAccess config) {
        this.name = config.name();
        this.a = config.a();
        this.b = config.b();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Violation> atRequest(AccessAttempt attempt) {
        return check(attempt.user(), attempt.target(), attempt.held(), Addressee.YOU);
    }

    @Override
    public Optional<Violation> atApproval(ApprovalAttempt attempt) {
        return check(attempt.requester(), attempt.target(), attempt.requesterHeld(), Addressee.of(attempt.requester()));
    }

    @Override
    public Optional<Violation> atSessionStart(AccessAttempt attempt) {
        return check(attempt.user(), attempt.target(), attempt.held(), Addressee.YOU);
    }

    private Optional<Violation> check(Identity user, TargetConfig target, HeldAccess held, Addressee who) {
        Optional<Violation> v = check(a, b, user, target, held, who);
        return v.isPresent() ? v : check(b, a, user, target, held, who);
    }

    /** {@code target} falls on side {@code wanted} while the user already holds side {@code other}. */
    private Optional<Violation> check(SodConfig.Side wanted, SodConfig.Side other, Identity user, TargetConfig target,
                                      HeldAccess held, Addressee who) {
        if (wanted.isRoles() || !wanted.targets().matches(target)) {
            return Optional.empty();
        }
        return holding(other, user, target, held, who).map(holding -> Violation.sod(name, holding
                + " and may not also hold access to " + target.name() + " (" + describe(wanted.targets()) + ")"));
    }

    /** How the user holds {@code side}, e.g. {@code you already hold access to billing-db-01 (system=billing)}. */
    private static Optional<String> holding(SodConfig.Side side, Identity user, TargetConfig asked, HeldAccess held,
                                            Addressee who) {
        if (side.isRoles()) {
            for (String role : side.roles()) {
                for (String mine : user.roles()) {
                    if (mine.equalsIgnoreCase(role)) {
                        return Optional.of(who.has() + " role " + mine);
                    }
                }
            }
            return Optional.empty();
        }
        for (HeldAccess.Held h : held.targets()) {
            if (!h.target().name().equalsIgnoreCase(asked.name()) && side.targets().matches(h.target())) {
                String what = h.target().name() + " (" + describe(side.targets()) + ")";
                return Optional.of(h.pending()
                        ? who.has() + " a pending request for " + what
                        : who.alreadyHolds() + " access to " + what);
            }
        }
        return Optional.empty();
    }

    /** The criteria of a selector as a person reads them: {@code system=billing}, {@code restricted}. */
    static String describe(TargetSelector s) {
        List<String> parts = new ArrayList<>();
        Map<String, String> labels = new TreeMap<>(s.labels());
        labels.forEach((k, v) -> parts.add(k + "=" + v));
        if (!s.classification().isEmpty()) {
            parts.add(s.classification().stream().map(Classification::key).collect(Collectors.joining(" or ")));
        }
        if (!s.names().isEmpty()) {
            parts.add("named in the rule");
        }
        return String.join(", ", parts);
    }
}
