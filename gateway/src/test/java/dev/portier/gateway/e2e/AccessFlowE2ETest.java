package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.config.ConfigLoader;
import dev.portier.testsupport.OpenSshClient;
import dev.portier.testsupport.OpenSshClient.Result;
import dev.portier.testsupport.Pty;
import dev.portier.vault.Credential;
import dev.portier.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time-boxed access end to end, with the real OpenSSH client and sshd: request, approval over SSH, a session
 * under the grant, and its end on expiry, revocation and the user leaving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessFlowE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.List<String> TARGETS = java.util.List.of("srv-ap1", "srv-ap2", "srv-ap3", "srv-ap4",
            "srv-ap5", "srv-ap6");

    @TempDir
    static Path tmp;

    PortierHarness h;
    String yaml;
    Path carolKey;
    com.sun.net.httpserver.HttpServer hooks;
    final java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        h = new PortierHarness(tmp);
        // One target per test, so that one test's grant never lets another test in.
        StringBuilder extraTargets = new StringBuilder();
        for (String t : TARGETS) {
            Vault.open(h.data).put(t, h.sshd.user(), new Credential.PrivateKey(Files.readString(h.targetKey)));
            extraTargets.append("""
                      - name: %s
                        address: "127.0.0.1:%d"
                        hostKey: "%s"
                        classification: internal
                        labels: { kind: approved-only }
                        accounts: [%s]
                    """.formatted(t, h.sshd.port(), h.sshd.hostKeyLine(), h.sshd.user()));
        }
        String extraPolicies = """
                  - name: netops-approved
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: approved-only } }
                    channels: [shell, exec]
                    approval: { required: true, approvers: [{ teams: [security] }], count: 1, maxDuration: 2h }
                """;
        hooks = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/hook", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hooks.start();
        carolKey = dev.portier.testsupport.Keys.ed25519(Files.createDirectories(tmp.resolve("carol")), "carol");
        String carol = "      - { name: carol, teams: [audit], roles: [auditor, operator], sshKeys: [\""
                + dev.portier.testsupport.Keys.publicKeyLine(carolKey) + "\"] }\n";
        yaml = h.yaml(h.sshd.hostKeyLine(), extraTargets.toString(), extraPolicies)
                .replaceFirst("(?m)^(\\s*- \\{ name: bob.*\n)", "$1" + carol.replace("$", "\\$"))
                + "sod:\n  roleConflicts:\n    - { name: auditor-operator, roles: [auditor, operator] }\n"
                + "notifications:\n  webhooks:\n    - { url: \"http://127.0.0.1:" + hooks.getAddress().getPort()
                + "/hook\" }\n";
        h.start(yaml);
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
        if (hooks != null) {
            hooks.stop(0);
        }
    }

    private OpenSshClient bob() {
        return h.client("bob", h.bobKey);
    }

    private String request(String target, String duration) throws Exception {
        Result r = h.alice(null).ssh("request", target, "--reason", "'disk full on /var'", "--ticket", "INC-7",
                "--duration", duration, "--json");
        assertEquals(0, r.exit(), r.stderr());
        return JSON.readTree(r.stdout()).get("id").asText();
    }

    @Test
    void aliceRequestsBobApprovesOverSshAndAliceConnects() throws Exception {
        Result before = h.alice("srv-ap1").ssh("echo in");
        assertEquals(1, before.exit());
        assertTrue(before.stderr().contains("requires an approved request"), before.stderr());
        String id = request("srv-ap1", "1h");
        Result approve = bob().ssh("approve", id, "--comment", "ok");
        assertEquals(0, approve.exit(), approve.stderr());
        assertTrue(approve.stdout().contains("approved"), approve.stdout());
        Result after = h.alice("srv-ap1").ssh("echo in");
        assertEquals(0, after.exit(), after.stderr());
        assertEquals("in\n", after.stdout());
        assertTrue(h.auditLog().contains("\"basis\":\"grant:"), "the session records the grant it ran under");

        // The recording carries the signed grant; portier verify checks it, and notices a forged one.
        Path cast = castOf("srv-ap1");
        String[] out = new String[1];
        assertEquals(0, runCli(out, "verify", cast.toString(), "--data", h.data.toString()));
        assertTrue(out[0].contains("signature VALID") && out[0].contains("approved by bob"), out[0]);
        Path forged = tmp.resolve("forged.cast");
        // Byte for byte (ISO-8859-1): after its clear header line, an encrypted recording is binary.
        String text = Files.readString(cast, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"grant\":\"") + 9;
        int dot = text.indexOf('.', at) + 5;
        char c = text.charAt(dot);
        Files.writeString(forged, text.substring(0, dot) + (c == 'A' ? 'B' : 'A') + text.substring(dot + 1),
                StandardCharsets.ISO_8859_1);
        assertEquals(1, runCli(out, "verify", forged.toString(), "--data", h.data.toString()));
        assertTrue(out[0].contains("TAMPERED"), out[0]);
    }

    private Path castOf(String target) throws Exception {
        try (dev.portier.recorder.RecordingStore store = new dev.portier.recorder.RecordingStore(
                h.data.resolve("recordings"))) {
            for (int i = 0; i < 50; i++) {
                var found = store.list().stream().filter(r -> r.target().equals(target) && r.end() != null).findFirst();
                if (found.isPresent()) {
                    return store.castFile(found.get().id());
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no closed recording for " + target);
    }

    private static int runCli(String[] out, String... args) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return dev.portier.gateway.cli.PortierCli.run(args);
        } finally {
            System.setOut(old);
            out[0] = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void webhooksReceiveRequestCreatedAndDecided() throws Exception {
        String id = request("srv-ap2", "15m");
        assertEquals(0, bob().ssh("deny", id, "--comment", "'use the change window'").exit());
        boolean created = false;
        boolean decided = false;
        for (int i = 0; i < 50 && !(created && decided); i++) {
            Thread.sleep(100);
            for (String body : received) {
                JsonNode n = JSON.readTree(body);
                if (id.equals(n.path("requestId").asText())) {
                    created |= n.get("event").asText().equals("request.created");
                    decided |= n.get("event").asText().equals("request.decided")
                            && n.get("state").asText().equals("denied");
                }
            }
        }
        assertTrue(created && decided, "webhook bodies: " + received);
    }

    @Test
    void conflictingRolesAreRefusedAtLoginWithTheRuleNamed() {
        Result r = h.client("carol", carolKey).ssh("whoami");
        assertEquals(255, r.exit());
        assertTrue(r.stderr().contains("auditor-operator"), r.stderr());
    }

    @Test
    void requesterCannotApproveTheirOwnRequest() throws Exception {
        String id = request("srv-ap2", "30m");
        Result r = h.alice(null).ssh("approve", id);
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("no-self-approval"), r.stderr());
        assertEquals(0, bob().ssh("deny", id, "--comment", "'not now'").exit());
    }

    @Test
    void waitingRequestContinuesOnceApproved() throws Exception {
        CompletableFuture<Result> waiting = CompletableFuture.supplyAsync(() -> h.alice(null)
                .withTimeout(Duration.ofSeconds(60)).ssh("request", "srv-ap3", "--reason", "maintenance", "--wait"));
        String id = null;
        for (int i = 0; i < 50 && id == null; i++) {
            Thread.sleep(200);
            Result pending = bob().ssh("requests", "--pending", "--json");
            for (String line : pending.stdout().lines().toList()) {
                JsonNode n = JSON.readTree(line);
                if (n.get("reason").asText().equals("maintenance")) {
                    id = n.get("id").asText();
                }
            }
        }
        assertTrue(id != null, "the waiting request never showed up for the approver");
        assertEquals(0, bob().ssh("approve", id).exit());
        Result r = waiting.get();
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().contains("approved"), r.stdout());
    }

    @Test
    void grantExpiryEndsAnInteractiveSessionWithinASecond() throws Exception {
        String id = request("srv-ap4", "12s");
        assertEquals(0, bob().ssh("approve", id).exit());
        Instant end = Instant.parse(grantFor(id).get("end").asText());
        try (Pty pty = Pty.start(h.alice("srv-ap4").withArgs("-tt").sshCommandLine(), 100, 30)) {
            pty.sendLine("echo session-$((1+1))");
            pty.expect("session-2", Duration.ofSeconds(10));
            pty.expectOnScreen("ends in 1 minute", Duration.ofSeconds(10));
            pty.expect("ended at", Duration.ofSeconds(20));
            Instant closed = Instant.now();
            pty.awaitExit(Duration.ofSeconds(5));
            long lateMs = Duration.between(end, closed).toMillis();
            assertTrue(lateMs <= 1000, "the session outlived its grant by " + lateMs + " ms");
        }
    }

    @Test
    void revocationEndsALiveSession() throws Exception {
        String id = request("srv-ap5", "1h");
        assertEquals(0, bob().ssh("approve", id).exit());
        String grant = grantFor(id).get("id").asText();
        try (Pty pty = Pty.start(h.alice("srv-ap5").withArgs("-tt").sshCommandLine(), 100, 30)) {
            pty.sendLine("echo live-$((2+2))");
            pty.expect("live-4", Duration.ofSeconds(10));
            Result revoke = bob().ssh("revoke", grant, "--reason", "'incident closed'");
            assertEquals(0, revoke.exit(), revoke.stderr());
            pty.expect("was revoked", Duration.ofSeconds(5));
            pty.awaitExit(Duration.ofSeconds(5));
        }
        assertNotEquals(0, h.alice("srv-ap5").ssh("true").exit(), "a revoked grant admits no new session");
    }

    @Test
    void inlineFlowFilesTheRequestAndContinuesIntoTheSession() throws Exception {
        try (Pty pty = Pty.start(h.alice("srv-ap6").withArgs("-tt").sshCommandLine(), 100, 30)) {
            pty.expect("Reason", Duration.ofSeconds(15));
            pty.sendLine("inline fix");
            pty.expect("Duration", Duration.ofSeconds(5));
            pty.sendLine("20m");
            pty.expect("Waiting for approval", Duration.ofSeconds(10));
            String id = null;
            for (String line : bob().ssh("requests", "--pending", "--json").stdout().lines().toList()) {
                JsonNode n = JSON.readTree(line);
                if (n.get("reason").asText().equals("inline fix")) {
                    id = n.get("id").asText();
                }
            }
            assertTrue(id != null, "the inline request is not pending for bob");
            assertEquals(0, bob().ssh("approve", id).exit());
            pty.expect("Connecting", Duration.ofSeconds(10));
            pty.sendLine("echo inside-$((40+2))");
            pty.expect("inside-42", Duration.ofSeconds(15));
            pty.sendLine("exit");
        }
    }

    @Test
    void leaverLosesLiveSessionsAndCannotLogInAgain() throws Exception {
        String withoutAlice = yaml.replaceAll("(?m)^\\s*- \\{ name: alice.*$", "");
        try (Pty pty = Pty.start(h.alice("srv-1").withArgs("-tt").sshCommandLine(), 100, 30)) {
            pty.sendLine("echo before-$((3+3))");
            pty.expect("before-6", Duration.ofSeconds(10));
            var gone = h.gateway().reloadIdentities(ConfigLoader.parse(withoutAlice, "test.yaml"));
            assertEquals(java.util.Set.of("alice"), gone);
            pty.expect("access was withdrawn", Duration.ofSeconds(5));
            pty.awaitExit(Duration.ofSeconds(5));
        } finally {
            h.gateway().reloadIdentities(ConfigLoader.parse(yaml, "test.yaml"));
        }
        assertTrue(h.auditLog().contains("\"type\":\"identity.removed\""));
    }

    private JsonNode grantFor(String requestId) throws Exception {
        for (String line : bob().ssh("grants", "--json").stdout().lines().toList()) {
            JsonNode n = JSON.readTree(line);
            if (n.get("requestId").asText().equals(requestId)) {
                return n;
            }
        }
        throw new AssertionError("no grant for " + requestId);
    }
}
