package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.gateway.cli.PortierCli;
import dev.portier.testsupport.Keys;
import dev.portier.testsupport.OpenSshClient;
import dev.portier.testsupport.OpenSshClient.Result;
import dev.portier.testsupport.Pty;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search of recordings end to end, with the real OpenSSH client and a real sshd target: a command alice typed in a
 * terminal is found by an auditor over SSH ({@code recordings --grep}) and by {@code portier recordings search};
 * the password she typed at a prompt is found by neither and is in no file of the index; alice cannot find bob's
 * session. The last test stops the gateway, as the CLI works on the data directory alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPED = "echo typed-$((7000+31))-marker";
    private static final String PRINTED = "typed-7031-marker";
    private static final String SECRET = "Wr0ng-B4ttery-search-5e7d";
    private static final String BOB_COMMAND = "echo bob-private-$((4000+321))";

    @TempDir
    static Path tmp;

    PortierHarness h;
    Path carolKey;
    Path configFile;

    @BeforeAll
    void start() throws Exception {
        h = new PortierHarness(tmp);
        carolKey = Keys.ed25519(tmp.resolve("keys"), "carol");
        String yaml = h.yaml(h.sshd.hostKeyLine(), "", """
                  - name: security-servers
                    subjects: { teams: [security] }
                    targets: { names: [srv-1] }
                    channels: [shell, exec]
                """).replace("      - { name: bob,", "      - { name: carol, teams: [audit], roles: [auditor], sshKeys: [\""
                + Keys.publicKeyLine(carolKey) + "\"] }\n      - { name: bob,") + "recording:\n  input: true\n";
        configFile = Files.writeString(tmp.resolve("portier.yaml"), yaml);
        h.start(yaml);
        try (Pty pty = Pty.start(h.alice("srv-1").withArgs("-tt").sshCommandLine(), 100, 30)) {
            pty.sendLine("echo ready=$((40+2))");
            pty.expect("ready=42", Duration.ofSeconds(20));
            // A typo fixed with backspace: the index has the line as entered.
            pty.send(TYPED + "X");
            pty.key("BSpace");
            pty.send("\r");
            pty.expect(PRINTED, Duration.ofSeconds(10));
            pty.sendLine("read -s -p \"$(printf 'Passw%s: ' ord)\" x; echo; echo len=${#x}");
            pty.expect("Password:", Duration.ofSeconds(10));
            pty.sendLine(SECRET);
            pty.expect("len=" + SECRET.length(), Duration.ofSeconds(10));
            pty.sendLine("exit 0");
            pty.awaitExit(Duration.ofSeconds(15));
        }
        assertEquals(0, h.client("bob:srv-1", h.bobKey).ssh(BOB_COMMAND).exit());
        awaitSearchable(PRINTED);
        awaitSearchable("bob-private-4321");
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    @Order(1)
    void anAuditorFindsATypedCommandOverSsh() throws Exception {
        List<JsonNode> hits = hits(carol().ssh("recordings --grep 'TYPED-$((7000' --json"));
        JsonNode command = hits.stream().filter(n -> n.get("kind").asText().equals("command")).findFirst().orElseThrow(
                () -> new AssertionError("no typed command among " + hits));
        assertEquals(TYPED, command.get("line").asText());
        assertEquals("alice", command.get("user").asText());
        assertEquals("srv-1", command.get("target").asText());
        assertTrue(command.get("recording").asText().matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}"), command.toString());
        assertTrue(command.get("offset").asText().matches("\\d\\d:\\d\\d"), command.toString());
        Result text = carol().ssh("recordings --grep " + PRINTED + " --user alice --target srv-1 --label kind=server");
        assertEquals(0, text.exit(), text.stderr());
        assertTrue(text.stdout().contains(command.get("recording").asText()) && text.stdout().contains("output"),
                text.stdout());
    }

    @Test
    @Order(2)
    void thePasswordTypedAtAPromptIsNotFound() throws Exception {
        assertEquals(List.of(), hits(carol().ssh("recordings --grep " + SECRET + " --json")));
        assertEquals(List.of(), hits(carol().ssh("recordings --grep " + SECRET.substring(6, 14) + " --json")));
        List<JsonNode> masked = hits(carol().ssh("recordings --grep '[masked]' --json"));
        assertEquals(1, masked.size(), "the masked line is indexed as its marker: " + masked);
        assertEquals("command", masked.get(0).get("kind").asText());
    }

    @Test
    @Order(3)
    void anOperatorCannotFindAnotherUsersSession() throws Exception {
        assertEquals(List.of(), hits(h.alice(null).ssh("recordings --grep bob-private --json")));
        assertEquals(List.of(), hits(h.alice(null).ssh("recordings --grep bob-private --user bob --json")));
        Result none = h.alice(null).ssh("recordings --grep bob-private");
        assertTrue(none.stdout().startsWith("No recorded line matches."), none.stdout());
        assertFalse(hits(carol().ssh("recordings --grep bob-private --json")).isEmpty());
        List<JsonNode> own = hits(h.client("bob", h.bobKey).ssh("recordings --grep bob-private --json"));
        assertEquals(BOB_COMMAND, own.get(0).get("line").asText(), "the command of an exec channel");
        assertFalse(hits(h.alice(null).ssh("recordings --grep " + PRINTED + " --json")).isEmpty(), "her own");
    }

    @Test
    @Order(4)
    void everySearchIsAudited() {
        Result r = h.alice(null).ssh("recordings --grep audited-probe-91 --since 1d");
        assertEquals(0, r.exit(), r.stderr());
        String audit = h.auditLog();
        assertTrue(audit.lines().anyMatch(l -> l.contains("\"type\":\"recording.searched\"")
                && l.contains("\"actor\":\"alice\"") && l.contains("\"grep\":\"audited-probe-91\"")
                && l.contains("\"scope\":\"own\"")), audit);
    }

    @Test
    @Order(5)
    void badSearchesAreRefusedWithTheReason() {
        Result shortText = carol().ssh("recordings --grep x");
        assertEquals(2, shortText.exit());
        assertTrue(shortText.stderr().contains("at least 2 characters"), shortText.stderr());
        Result badLabel = carol().ssh("recordings --grep abc --label site");
        assertEquals(2, badLabel.exit());
        assertTrue(badLabel.stderr().contains("--label takes KEY=VALUE"), badLabel.stderr());
        Result noGrep = carol().ssh("recordings --since 7d");
        assertEquals(2, noGrep.exit());
        assertTrue(noGrep.stderr().contains("add --grep TEXT"), noGrep.stderr());
    }

    @Test
    @Order(6)
    void aHitsOffsetReplaysWithTheNewOptions() throws Exception {
        JsonNode hit = hits(carol().ssh("recordings --grep " + PRINTED + " --json")).get(0);
        Result r = carol().ssh("replay " + hit.get("recording").asText() + " --from " + hit.get("offset").asText()
                + " --skip-idle --speed 50");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().contains(PRINTED), r.stdout());
        assertTrue(h.auditLog().lines().anyMatch(l -> l.contains("\"type\":\"recording.replayed\"")
                && l.contains("\"skipIdle\":true") && l.contains("\"from\":\"" + hit.get("offset").asText() + "\"")));
        Result bad = carol().ssh("replay " + hit.get("recording").asText() + " --from 12:61");
        assertEquals(2, bad.exit());
        assertTrue(bad.stderr().contains("--from"), bad.stderr());
    }

    @Test
    @Order(100)
    void theCliFindsTheCommandButNotThePasswordAndTheIndexHoldsNoSecret() throws Exception {
        // Beside a running gateway (here in this very process) the CLI reads what the gateway has indexed, and its
        // audit event goes through the gateway.
        Result whileRunning = cli("recordings", "search", "--grep", PRINTED);
        assertEquals(0, whileRunning.exit(), whileRunning.stderr());
        assertTrue(whileRunning.stdout().contains(PRINTED), whileRunning.stdout());
        assertTrue(whileRunning.stderr().contains("a running gateway keeps the index"), whileRunning.stderr());
        h.stopGateway();
        Result found = cli("recordings", "search", "--grep", "typed-$((7000", "--json");
        assertEquals(0, found.exit(), found.stderr());
        assertTrue(found.stdout().lines().anyMatch(l -> l.contains("\"kind\":\"command\"") && l.contains(
                "\"line\":\"" + TYPED + "\"")), found.stdout());
        assertTrue(found.stderr().contains("search index: up to date"),
                "the CLI opens the gateway's blind index with the vault's key, no rebuild: " + found.stderr());
        Result secret = cli("recordings", "search", "--grep", SECRET);
        assertEquals(0, secret.exit(), secret.stderr());
        assertEquals("No recorded line matches.\n", secret.stdout());
        assertTrue(h.auditLog().lines().anyMatch(l -> l.contains("\"type\":\"recording.searched\"")
                && l.contains("\"reason\":\"cli\"") && l.contains(SECRET)), "the CLI search was not audited");
        String index = everythingIn(h.data.resolve("index"));
        assertFalse(index.isEmpty());
        assertFalse(index.contains(SECRET), "the password is in a file of the index directory");
        assertFalse(index.contains(PRINTED), "printed output in the clear in the index (it is a blind index)");
        assertFalse(index.contains(TYPED), "a typed command in the clear in the index");
        assertFalse(index.contains(new String(SECRET.getBytes(StandardCharsets.UTF_16BE), StandardCharsets.ISO_8859_1)));
    }

    private OpenSshClient carol() {
        return h.client("carol", carolKey);
    }

    private static List<JsonNode> hits(Result r) throws IOException {
        assertEquals(0, r.exit(), r.stderr());
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    /** Recordings are indexed on the indexer thread once they close. */
    private void awaitSearchable(String text) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (!hits(carol().ssh("recordings --grep " + text + " --json")).isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(text + " never became searchable");
    }

    private Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>(List.of("--config", configFile.toString()));
            all.addAll(List.of(args));
            int exit = PortierCli.run(all.toArray(String[]::new));
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static String everythingIn(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                sb.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return sb.toString();
    }
}
