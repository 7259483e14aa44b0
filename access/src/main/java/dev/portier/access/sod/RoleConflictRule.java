package dev.portier.access.sod;

import dev.portier.access.identity.Identity;
import dev.portier.config.Classification;
import dev.portier.config.SodConfig;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code sod.roleConflicts[]}: one identity may not hold all these roles (e.g. auditor and operator). Checked
 * at login, and again at every later checkpoint for the person acting. Roles are compared without case.
 */
public final class RoleConflictRule implements SodRule {
    private final String name;
    private final List<String> roles;

    public RoleConflictRule(SodConfig.RoleConflict config) {
        this.name = config.name();
        this.roles = List.copyOf(config.roles());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Violation> atLogin(Identity user) {
        Set<String> held = user.roles().stream().map(r -> r.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        if (!roles.stream().allMatch(r -> held.contains(r.toLowerCase(Locale.ROOT)))) {
            return Optional.empty();
        }
        return Optional.of(Violation.sod(name, "you hold the roles " + String.join(" and ", roles)
                + ", which one identity may not hold together; ask an administrator to remove one of them"));
    }

    @Override
    public Optional<Violation> atRequest(AccessAttempt attempt) {
        return atLogin(attempt.user());
    }

    @Override
    public Optional<Violation> onApprover(Identity approver, Identity requester, Classification classification) {
        return atLogin(approver);
    }

    @Override
    public Optional<Violation> atSessionStart(AccessAttempt attempt) {
        return atLogin(attempt.user());
    }
}
