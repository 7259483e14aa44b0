package dev.portier.config;

import static dev.portier.config.ConfigAssertions.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys and types: what any section gets wrong the same way. */
class StructureValidationTest {

    @Test
    void unknownTopLevelKeyIsReportedWithLineAndAllowedKeys() {
        assertEquals("portier.yaml:2: database: unknown key; allowed keys: server, identity, targets, policies, recording,"
                        + " sod, notifications, storage, siem",
                problem("recording: { input: false }\ndatabase: { url: h2 }\n"));
    }

    @Test
    void unknownNestedKeyIsReportedWithItsDottedPath() {
        assertEquals("portier.yaml:3: server.ssh.port: unknown key; allowed keys: listen",
                problem("server:\n  ssh:\n    port: 2222\n"));
    }

    @Test
    void unknownKeyInListItemNamesTheIndex() {
        assertEquals("portier.yaml:5: identity.local.users[1].team: unknown key; allowed keys: name, realm, teams, roles, sshKeys",
                problem("identity:\n  local:\n    users:\n      - { name: alice }\n      - { name: bob, team: x }\n"));
    }

    @Test
    void duplicateKeyIsReportedAtTheSecondOccurrence() {
        assertEquals("portier.yaml:3: server.dataDir: duplicate key (first at line 2)",
                problem("server:\n  dataDir: a\n  dataDir: b\n"));
    }

    @Test
    void repeatedUnknownKeyIsReportedAsDuplicateTheSecondTime() {
        assertEquals(List.of(
                        "portier.yaml:1: colour: unknown key; allowed keys: server, identity, targets, policies, recording,"
                                + " sod, notifications, storage, siem",
                        "portier.yaml:2: colour: duplicate key (first at line 1)"),
                ConfigAssertions.problems("colour: red\ncolour: blue\n"));
    }

    @Test
    void complexKeyIsASyntaxError() {
        assertEquals("portier.yaml:1: (root): YAML syntax error: a key must be a plain name, not a list or a map",
                problem("? [a, b]\n: c\n"));
    }

    @Test
    void listWhereMapExpectedIsAWrongType() {
        assertEquals("portier.yaml:2: server.ssh: expected a map with keys listen, got a list",
                problem("server:\n  ssh: [\"0.0.0.0:22\"]\n"));
    }

    @Test
    void mapWhereStringExpectedIsAWrongType() {
        assertEquals("portier.yaml:2: server.dataDir: expected a string, got a map",
                problem("server:\n  dataDir: { path: x }\n"));
    }

    @Test
    void stringWhereListExpectedIsAWrongType() {
        assertEquals("portier.yaml:4: identity.local.users[0].teams: expected a list of strings, e.g. [a, b], got \"netops\"",
                problem("identity:\n  local:\n    users:\n      - { name: alice, teams: netops }\n"));
    }

    @Test
    void stringWhereBooleanExpectedIsAWrongType() {
        assertEquals("portier.yaml:1: recording.input: expected true or false, got \"1\"",
                problem("recording: { input: 1 }\n"));
    }

    @Test
    void spotCheckPercentAbove100IsReported() {
        assertEquals("portier.yaml:1: recording.spotCheck.percent: must be between 0 and 100, got 150",
                problem("recording: { spotCheck: { percent: 150, realms: [partners] } }\n"));
    }

    @Test
    void maskPatternThatIsNoRegexIsReported() {
        assertEquals("portier.yaml:1: recording.maskPatterns[1]: not a regular expression: Unclosed group",
                problem("recording: { input: true, maskPatterns: [\"pin:\", \"token(\"] }\n"));
    }

    @Test
    void textWhereNumberExpectedIsAWrongType() {
        String yaml = """
                policies:
                  - name: p
                    subjects: { teams: [a] }
                    targets: { labels: { a: b } }
                    approval: { approvers: [{ teams: [b] }], count: two }
                """;
        assertEquals("portier.yaml:5: policies[0].approval.count: expected a whole number, got \"two\"", problem(yaml));
    }

    @Test
    void emptyStringIsRefused() {
        assertEquals("portier.yaml:1: server.dataDir: must not be empty", problem("server: { dataDir: \"\" }\n"));
    }

    @Test
    void keyWithoutValueCountsAsAbsent() throws ConfigException {
        PortierConfig config = ConfigLoader.parse("server:\n  dataDir:\ntargets:\npolicies:\n", "portier.yaml");
        assertEquals(ServerConfig.DEFAULT_DATA_DIR, config.server().dataDir());
        assertTrue(config.targets().isEmpty());
    }

    @Test
    void aliasIsRefusedBecauseItsLineWouldBeAmbiguous() {
        assertEquals("portier.yaml:2: server.dataDir: YAML aliases (*dir) are not supported; write the value out",
                problem("recording: { input: &dir false }\nserver: { dataDir: *dir }\n"));
    }

    @Test
    void keycloakThatIsNotAMapIsAWrongType() {
        assertEquals("portier.yaml:2: identity.keycloak: expected a map with keys url, caFile, admin, realms, leavers,"
                + " portal, sshKeyTtl, got \"yes please\"",
                problem("identity:\n  keycloak: yes please\n"));
    }

    @Test
    void otherUnknownIdentityKeysAreStillRefused() {
        assertEquals("portier.yaml:2: identity.ldap: unknown key; allowed keys: local, keycloak",
                problem("identity:\n  ldap: { url: x }\n"));
    }
}
