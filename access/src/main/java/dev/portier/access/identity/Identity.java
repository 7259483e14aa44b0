package dev.portier.access.identity;

import java.util.Set;

/** Who a user is once authenticated: name, realm, teams and roles. Immutable. */
public record Identity(String user, String realm, Set<String> teams, Set<String> roles) {
    public Identity {
        teams = Set.copyOf(teams);
        roles = Set.copyOf(roles);
    }
}
