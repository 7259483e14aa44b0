package dev.portier.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binds {@code identity:}: the local users, and the Keycloak realms beside them ({@link KeycloakSection}).
 */
final class IdentitySection {
    static final List<String> IDENTITY_KEYS = List.of("local", "keycloak");
    static final List<String> LOCAL_KEYS = List.of("users");
    static final List<String> USER_KEYS = List.of("name", "realm", "teams", "roles", "sshKeys");

    private IdentitySection() {
    }

    static IdentityConfig bind(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return new IdentityConfig(List.of());
        }
        Optional<KeycloakConfig> keycloak = KeycloakSection.bind(
                section.get().map("keycloak", KeycloakSection.KEYCLOAK_KEYS), problems);
        List<YamlMap> entries = section.get().map("local", LOCAL_KEYS)
                .map(local -> local.maps("users", USER_KEYS))
                .orElse(List.of());
        List<LocalUser> users = new ArrayList<>();
        List<Located> names = new ArrayList<>();
        for (YamlMap entry : entries) {
            Optional<Located> name = entry.requiredString("name", "");
            name.ifPresent(n -> {
                if (Names.check(problems, n, Names.USER, "user name")) {
                    names.add(n);
                }
            });
            String realm = entry.string("realm").map(Located::value).orElse(LocalUser.DEFAULT_REALM);
            List<String> keys = new ArrayList<>();
            for (Located key : entry.strings("sshKeys")) {
                try {
                    SshPublicKeys.check(key.value());
                    keys.add(key.value());
                } catch (IllegalArgumentException e) {
                    problems.add(key, e.getMessage());
                }
            }
            users.add(new LocalUser(name.map(Located::value).orElse(""), realm,
                    values(entry.strings("teams")), values(entry.strings("roles")), keys));
        }
        Names.unique(problems, names, "user name", true);
        return new IdentityConfig(users, keycloak);
    }

    static List<String> values(List<Located> located) {
        return located.stream().map(Located::value).toList();
    }
}
