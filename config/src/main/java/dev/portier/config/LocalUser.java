package dev.portier.config;

import java.util.List;

/**
 * One user of {@code identity.local.users}.
 *
 * @param realm   {@code employees} unless set ({@code partners} marks a supplier)
 * @param sshKeys OpenSSH authorized_keys lines ({@code type base64 [comment]})
 */
public record LocalUser(String name, String realm, List<String> teams, List<String> roles, List<String> sshKeys) {
    public static final String DEFAULT_REALM = "employees";

    public LocalUser {
        teams = List.copyOf(teams);
        roles = List.copyOf(roles);
        sshKeys = List.copyOf(sshKeys);
    }
}
