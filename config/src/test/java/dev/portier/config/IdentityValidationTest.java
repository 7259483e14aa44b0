package dev.portier.config;

import static dev.portier.config.ConfigAssertions.ALICE_KEY;
import static dev.portier.config.ConfigAssertions.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IdentityValidationTest {

    private static String users(String... lines) {
        return "identity:\n  local:\n    users:\n" + String.join("", Arrays.stream(lines).map(l -> "      - " + l + "\n").toList());
    }

    @Test
    void userNameWithSeparatorIsRefused() {
        assertEquals("portier.yaml:4: identity.local.users[0].name: \"alice:admin\" is not a valid user name ([a-z_][a-z0-9._-]{0,31});"
                        + " ':', '#', '@' and '/' separate the parts of an SSH username",
                problem(users("{ name: \"alice:admin\" }")));
    }

    @Test
    void duplicateUserNameIsReportedIgnoringCase() {
        assertEquals("portier.yaml:5: identity.local.users[1].name: duplicate user name \"Alice\" (first at line 4)",
                problem(users("{ name: alice }", "{ name: Alice }")));
    }

    @Test
    void userWithoutNameIsReported() {
        assertEquals("portier.yaml:4: identity.local.users[0].name: is required", problem(users("{ teams: [netops] }")));
    }

    @Test
    void emptyRealmIsRefused() {
        assertEquals("portier.yaml:4: identity.local.users[0].realm: must not be empty", problem(users("{ name: dave, realm: \" \" }")));
    }

    @Test
    void sshKeyOfUnknownTypeIsRefused() {
        String key = ALICE_KEY.replace("ssh-ed25519", "ssh-dss");
        assertEquals("portier.yaml:4: identity.local.users[0].sshKeys[0]: " + Problems.quote(key)
                        + " is not an OpenSSH public key: unknown key type \"ssh-dss\" (allowed: " + String.join(", ", SshPublicKeys.KEY_TYPES) + ")",
                problem(users("{ name: alice, sshKeys: [\"" + key + "\"] }")));
    }

    @Test
    void pastedPrivateKeyIsRefusedWithoutQuotingIt() {
        String message = problem(users("{ name: alice, sshKeys: [\"-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA\"] }"));
        assertEquals("portier.yaml:4: identity.local.users[0].sshKeys[0]: is a private key; use the public key line (the .pub file)"
                + " and delete the private key from this file", message);
    }
}
