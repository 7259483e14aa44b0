package dev.portier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

/** Shared keys and helpers: parse a YAML snippet as {@code portier.yaml} and look at its problems. */
final class ConfigAssertions {
    static final String ALICE_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFX272wZQfRQd9giFN/A2p8vvLKkYBEJSeiGSvU9SMxI alice@laptop";
    static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKWuzyqHBmkwOJpRyMejEwPpl9C9lWOkFGjLvT0tW6aL";
    static final String RSA_KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCz4UIASOLkExB0Zc6RRZb5IZjYdgxU7F1TD2rEYuBhwBZV1fVdjWfBrX3H4gVnAr7LOAAPHfbVAWtpoDbP2j8CtkRwAXD3Q+rB5yO1qrzS+eGzMyHmmZEe73awyOcGJ1Xob+do7xtrhZ3HzE9DPB+szfBwDRN67DCOU0UP1fhn0ZagDaWUJ3ch9PPyNAAUKULYiDhxTbvh7oniILTSvBkNi+zzuQrjP5msnEVeJzxX9a2GV0qgUHKwkhxqQCTm/Pp4A+j5FX2ry4GIkoZmz7oeQqJaYGTbur4PpUuEF5SZVLtd6+uKawfQLdvI7nhdp75DSgAyJPjfiDkUiyN0XKCz";

    private ConfigAssertions() {
    }

    /** Every problem of a config that must fail, as printed: {@code portier.yaml:3: key: message}. */
    static List<String> problems(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "portier.yaml"));
        assertEquals(String.join("\n", e.problems().stream().map(ConfigProblem::toString).toList()), e.getMessage());
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    /** The single problem of a config that must fail with exactly one. */
    static String problem(String yaml) {
        List<String> problems = problems(yaml);
        assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
        return problems.get(0);
    }

    /** A valid target entry (six lines, at list indentation) for snippets that need one. */
    static String target(String name, String accounts) {
        return "  - name: " + name + "\n"
                + "    address: \"10.0.0.1:22\"\n"
                + "    hostKey: \"" + HOST_KEY + "\"\n"
                + "    labels: { kind: router }\n"
                + "    accounts: " + accounts + "\n";
    }
}
