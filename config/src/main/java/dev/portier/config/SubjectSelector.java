package dev.portier.config;

import java.util.List;

/** Who a policy applies to: a subject matches if it matches any non-empty list (OR across lists). */
public record SubjectSelector(List<String> users, List<String> teams, List<String> roles, List<String> realms) {
    public SubjectSelector {
        users = List.copyOf(users);
        teams = List.copyOf(teams);
        roles = List.copyOf(roles);
        realms = List.copyOf(realms);
    }

    /** True when it names nobody; the loader refuses such a selector. */
    public boolean isEmpty() {
        return users.isEmpty() && teams.isEmpty() && roles.isEmpty() && realms.isEmpty();
    }
}
