package dev.portier.access.sod;

import dev.portier.access.identity.Identity;
import dev.portier.config.PolicyConfig;
import dev.portier.config.SodConfig;
import dev.portier.config.TargetConfig;
import dev.portier.config.WindowConfig;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code sod.suppliers}: an identity of a supplier realm reaches only targets whose contract label names one of
 * its teams (exactly: a near miss is refused), and starts sessions only inside the policy's windows. A policy
 * without windows puts no time limit on suppliers. Input recording is forced on for suppliers (see
 * {@link SodEngine#recordInputForced}).
 */
public final class SupplierRule implements SodRule {
    private static final DateTimeFormatter NOW = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT);

    private final Set<String> realms;
    private final String contractLabel;

    public SupplierRule(SodConfig.Suppliers config) {
        this.realms = Set.copyOf(config.realms());
        this.contractLabel = config.contractLabel();
    }

    @Override
    public String name() {
        return SodConfig.SUPPLIERS;
    }

    public boolean isSupplier(Identity user) {
        return user.realm() != null && realms.contains(user.realm());
    }

    @Override
    public Optional<Violation> atRequest(AccessAttempt attempt) {
        return contract(attempt.user(), attempt.target(), Addressee.YOU);
    }

    @Override
    public Optional<Violation> atApproval(ApprovalAttempt attempt) {
        return contract(attempt.requester(), attempt.target(), Addressee.of(attempt.requester()));
    }

    @Override
    public Optional<Violation> atSessionStart(AccessAttempt attempt) {
        Optional<Violation> contract = contract(attempt.user(), attempt.target(), Addressee.YOU);
        return contract.isPresent() ? contract : window(attempt.user(), attempt.policy(), attempt.now());
    }

    /** When the supplier's session must end because its window closes; empty for others or without windows. */
    public Optional<Instant> windowEnd(Identity user, PolicyConfig policy, Instant now) {
        if (!isSupplier(user)) {
            return Optional.empty();
        }
        return policy.windows().stream().flatMap(w -> w.closesAfter(now).stream()).max(Instant::compareTo);
    }

    private Optional<Violation> contract(Identity user, TargetConfig target, Addressee who) {
        if (!isSupplier(user)) {
            return Optional.empty();
        }
        String contract = target.labels().get(contractLabel);
        if (contract != null && user.teams().contains(contract)) {
            return Optional.empty();
        }
        String teams = user.teams().isEmpty() ? "none" : String.join(", ", new TreeSet<>(user.teams()));
        String label = contract == null ? "has no " + contractLabel + " label" : "is under contract " + contract;
        return Optional.of(Violation.sod(name(), target.name() + " " + label + ", which is not one of " + who.whose()
                + " teams (" + teams + "); suppliers reach only targets contracted to their team"));
    }

    private Optional<Violation> window(Identity user, PolicyConfig policy, Instant now) {
        List<WindowConfig> windows = policy.windows();
        if (!isSupplier(user) || windows.isEmpty() || windows.stream().anyMatch(w -> w.contains(now))) {
            return Optional.empty();
        }
        ZonedDateTime local = now.atZone(windows.get(0).zone());
        String allowed = windows.stream().map(WindowConfig::describe).collect(Collectors.joining(" or "));
        return Optional.of(Violation.sod(name(), "policy " + policy.name() + " lets suppliers start sessions only "
                + allowed + ", and it is now " + NOW.format(local).toLowerCase(Locale.ROOT) + " " + local.getZone().getId()
                + "; try again inside the window"));
    }
}
