package dev.portier.config;

import static dev.portier.config.ConfigAssertions.ALICE_KEY;
import static dev.portier.config.ConfigAssertions.HOST_KEY;
import static dev.portier.config.ConfigAssertions.problem;
import static dev.portier.config.ConfigAssertions.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void defaultsListenOnContractPortsWithNothingConfigured() {
        PortierConfig config = ConfigLoader.defaults();
        assertNull(config.source());
        assertEquals(Path.of("./data"), config.server().dataDir());
        assertEquals(new HostPort("0.0.0.0", 2222), config.server().sshListen());
        assertEquals(new HostPort("0.0.0.0", 8443), config.server().httpsListen());
        assertTrue(config.identity().localUsers().isEmpty());
        assertTrue(config.targets().isEmpty());
        assertTrue(config.policies().isEmpty());
        assertEquals(RecordingConfig.DEFAULT, config.recording());
        assertEquals(SodConfig.DEFAULT, config.sod());
        assertEquals(NotificationsConfig.NONE, config.notifications());
        assertEquals(StorageConfig.EMBEDDED, config.storage());
    }

    @Test
    void emptyFileGivesDefaults() throws ConfigException {
        PortierConfig config = ConfigLoader.parse("", "portier.yaml");
        assertEquals(Path.of("portier.yaml"), config.source());
        assertEquals(ConfigLoader.defaults().server(), config.server());
        assertTrue(config.targets().isEmpty());
    }

    @Test
    void fileWithOnlyCommentsGivesDefaults() throws ConfigException {
        assertTrue(ConfigLoader.parse("# nothing yet\n---\n", "portier.yaml").policies().isEmpty());
    }

    @Test
    void fullConfigIsReadIntoRecords() throws ConfigException {
        String yaml = """
                server:
                  dataDir: /var/lib/portier
                  ssh: { listen: "[::1]:2022" }
                  https: { listen: "127.0.0.1:9443" }
                identity:
                  local:
                    users:
                      - { name: alice, teams: [netops], roles: [operator], sshKeys: ["%s"] }
                      - { name: dave, realm: partners, teams: [acme] }
                  keycloak:
                    url: "https://sso.example.net"
                    admin: { realm: employees, clientId: portier-admin, clientSecret: "env:KC_SECRET" }
                    realms: [{ name: employees, clientId: portier }]
                targets:
                  - name: rtr-bru-01
                    address: 10.0.0.1
                    hostKey: "%s"
                    owner: netops
                    classification: Confidential
                    labels: { site: bru, kind: router }
                    accounts: [admin, readonly]
                    algorithms: { kex: [diffie-hellman-group14-sha1], ciphers: [aes128-cbc], macs: [hmac-sha1], hostKeys: [ssh-rsa] }
                policies:
                  - name: netops-routers
                    subjects: { teams: [netops], realms: [employees] }
                    targets: { labels: { kind: router }, classification: [confidential] }
                    approval:
                      approvers: [{ teams: [security] }, { users: [bob] }]
                      count: 2
                      maxDuration: 1h30m
                  - name: standing
                    subjects: { users: [alice] }
                    targets: { names: [rtr-bru-01] }
                    accounts: [readonly]
                    channels: [exec]
                recording: { input: true }
                """.formatted(ALICE_KEY, HOST_KEY);
        PortierConfig config = ConfigLoader.parse(yaml, "conf/portier.yaml");

        assertEquals(Path.of("conf/portier.yaml"), config.source());
        assertEquals(new ServerConfig(Path.of("/var/lib/portier"), new HostPort("::1", 2022), new HostPort("127.0.0.1", 9443)),
                config.server());
        assertEquals(List.of(
                new LocalUser("alice", "employees", List.of("netops"), List.of("operator"), List.of(ALICE_KEY)),
                new LocalUser("dave", "partners", List.of("acme"), List.of(), List.of())), config.identity().localUsers());
        assertEquals(new TargetConfig("rtr-bru-01", new HostPort("10.0.0.1", 22), HOST_KEY, "netops", Classification.CONFIDENTIAL,
                Map.of("site", "bru", "kind", "router"), List.of("admin", "readonly"),
                new AlgorithmsConfig(List.of("diffie-hellman-group14-sha1"), List.of("aes128-cbc"), List.of("hmac-sha1"), List.of("ssh-rsa"))),
                config.targets().get(0));
        assertEquals(new PolicyConfig("netops-routers",
                new SubjectSelector(List.of(), List.of("netops"), List.of(), List.of("employees")),
                new TargetSelector(List.of(), Map.of("kind", "router"), List.of(Classification.CONFIDENTIAL)),
                List.of(), Set.of("shell", "exec", "sftp"),
                new ApprovalConfig(true, List.of(
                        new SubjectSelector(List.of(), List.of("security"), List.of(), List.of()),
                        new SubjectSelector(List.of("bob"), List.of(), List.of(), List.of())), 2, Duration.ofMinutes(90),
                        Duration.ofHours(24), false), null, List.of()),
                config.policies().get(0));
        assertEquals(new PolicyConfig("standing", new SubjectSelector(List.of("alice"), List.of(), List.of(), List.of()),
                new TargetSelector(List.of("rtr-bru-01"), Map.of(), List.of()), List.of("readonly"), Set.of("exec"), null,
                null, List.of()),
                config.policies().get(1));
        assertEquals(new RecordingConfig(true), config.recording());
    }

    @Test
    void recordingMaskPatternsAreKept() throws ConfigException {
        PortierConfig config = ConfigLoader.parse("recording:\n  input: true\n  maskPatterns: [\"PIN code:\\\\s*$\"]\n",
                "portier.yaml");
        assertEquals(new RecordingConfig(true, List.of("PIN code:\\s*$")), config.recording());
    }

    @Test
    void recordingsAreEncryptedUnlessTurnedOff() throws ConfigException {
        assertTrue(ConfigLoader.parse("recording:\n  input: true\n", "portier.yaml").recording().encrypt());
        assertTrue(RecordingConfig.DEFAULT.encrypt());
        assertFalse(ConfigLoader.parse("recording:\n  encrypt: false\n", "portier.yaml").recording().encrypt());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("recording:\n  encrypt: sometimes\n", "portier.yaml"));
        assertTrue(e.getMessage().contains("portier.yaml:2: recording.encrypt"), e.getMessage());
    }

    @Test
    void recordingSpotCheckIsBound() throws ConfigException {
        PortierConfig config = ConfigLoader.parse(
                "recording:\n  spotCheck: { percent: 25, realms: [partners], labels: { contract: acme } }\n",
                "portier.yaml");
        assertEquals(new SpotCheckConfig(25, List.of("partners"), Map.of("contract", "acme")),
                config.recording().spotCheck());
    }

    @Test
    void omittedOptionalKeysTakeTheirDefaults() throws ConfigException {
        String yaml = "targets:\n" + ConfigAssertions.target("sw-01", "[admin]") + """
                policies:
                  - name: p
                    subjects: { teams: [netops] }
                    targets: { names: [sw-01] }
                    approval: { approvers: [{ roles: [approver] }] }
                """;
        PortierConfig config = ConfigLoader.parse(yaml, "portier.yaml");
        TargetConfig target = config.targets().get(0);
        assertEquals(Classification.RESTRICTED, target.classification());
        assertEquals("", target.owner());
        assertEquals(AlgorithmsConfig.DEFAULT, target.algorithms());
        PolicyConfig policy = config.policies().get(0);
        assertEquals(Set.of("shell", "exec", "sftp"), policy.channels());
        assertTrue(policy.accounts().isEmpty());
        assertEquals(new ApprovalConfig(true, List.of(new SubjectSelector(List.of(), List.of(), List.of("approver"), List.of())),
                1, Duration.ofHours(4), Duration.ofHours(24), false), policy.approval());
        assertNull(policy.breakGlass());
        assertTrue(policy.windows().isEmpty());
        assertEquals(SodConfig.DEFAULT, config.sod());
        assertEquals(NotificationsConfig.NONE, config.notifications());
        assertEquals(StorageConfig.EMBEDDED, config.storage());
        assertEquals(ServerConfig.DEFAULT_SSH, config.server().sshListen());
    }

    @Test
    void exampleFileLoadsWithoutProblems() throws ConfigException, IOException {
        PortierConfig config = ConfigLoader.load(Path.of("../portier.example.yaml"));
        assertEquals(List.of("alice", "bob", "erin", "carol", "dave"),
                config.identity().localUsers().stream().map(LocalUser::name).toList());
        assertEquals(2, config.targets().size());
        assertEquals(2, config.policies().size());
        PolicyConfig routers = config.policy("netops-routers").orElseThrow();
        assertTrue(routers.approval().required());
        assertTrue(routers.breakGlassAllowed());
        assertEquals(1, routers.windows().size());
        assertEquals(1, config.sod().exclusiveAccess().size());
        assertEquals(1, config.sod().roleConflicts().size());
        assertTrue(config.storage().embedded());
    }

    @Test
    void loadNamesTheFileAsGivenInProblems(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("portier.yaml");
        Files.writeString(file, "server:\n  port: 22\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ":2: server.port: unknown key; allowed keys: dataDir, ssh, https", e.getMessage());
    }

    @Test
    void fileThatIsNotUtf8IsOneProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("portier.yaml");
        Files.write(file, "server: { dataDir: caf\u00e9 }".getBytes(StandardCharsets.ISO_8859_1));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ":0: (root): the file is not UTF-8 text; save it as UTF-8", e.getMessage());
    }

    @Test
    void malformedYamlIsOneProblemAtTheParsersLine() {
        assertEquals("portier.yaml:3: (root): YAML syntax error: expected <block end>, but found '<block sequence start>'"
                        + " (while parsing a block mapping started at line 1)",
                problem("server:\n  dataDir: ./data\n - oops\n"));
    }

    @Test
    void unterminatedQuoteIsReportedWithItsKey() {
        assertEquals("portier.yaml:3: server.dataDir: YAML syntax error: found unexpected end of stream"
                        + " (while scanning a quoted scalar started at line 2)",
                problem("server:\n  dataDir: \"./data\n"));
    }

    @Test
    void tabIndentationIsASyntaxError() {
        assertTrue(problem("server:\n\tdataDir: x\n").startsWith("portier.yaml:2: server: YAML syntax error: found character '\\t(TAB)'"));
    }

    @Test
    void multipleProblemsAreReportedTogetherInFileOrder() {
        String yaml = """
                server:
                  ssh: { listen: "0.0.0.0" }
                  colour: blue
                targets:
                  - name: "bad/name"
                    address: "10.0.0.1:0"
                    hostKey: "%s"
                    accounts: [admin]
                recording: { input: "sometimes" }
                """.formatted(HOST_KEY);
        assertEquals(List.of(
                "portier.yaml:2: server.ssh.listen: \"0.0.0.0\" is not host:port (port 1-65535; IPv6 as [address]:port)",
                "portier.yaml:3: server.colour: unknown key; allowed keys: dataDir, ssh, https",
                "portier.yaml:5: targets[0].name: \"bad/name\" is not a valid target name ([A-Za-z0-9][A-Za-z0-9._-]{0,62});"
                        + " ':', '#', '@' and '/' separate the parts of an SSH username",
                "portier.yaml:6: targets[0].address: \"10.0.0.1:0\" is not host[:port] (port 1-65535; IPv6 as [address]:port)",
                "portier.yaml:9: recording.input: expected true or false, got \"sometimes\""), problems(yaml));
    }

    @Test
    void secondYamlDocumentIsRefused() {
        assertEquals("portier.yaml:3: (root): a second YAML document starts here; put the whole configuration in one document",
                problem("recording: { input: true }\n---\nrecording: { input: false }\n"));
    }

    @Test
    void rootThatIsNotAMapIsRefused() {
        assertEquals("portier.yaml:1: (root): expected a map with keys server, identity, targets, policies, recording, sod,"
                        + " notifications, storage, siem, got a list",
                problem("- server\n"));
    }
}
