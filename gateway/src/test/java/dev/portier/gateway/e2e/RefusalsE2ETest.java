package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.gateway.demo.SimulatedRouter;
import dev.portier.testsupport.Keys;
import dev.portier.testsupport.OpenSshClient.Result;
import dev.portier.testsupport.Pty;
import dev.portier.vault.Credential;
import dev.portier.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks and refusals through the real OpenSSH client, plus password injection into a device that offers
 * only password and keyboard-interactive logins (the simulated router).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalsE2ETest {
    private static final String ROUTER_PASSWORD = "S3cret-Router-Pw-9f2c";

    @TempDir
    static Path tmp;

    PortierHarness h;
    SimulatedRouter router;

    @BeforeAll
    void start() throws Exception {
        h = new PortierHarness(tmp);
        router = SimulatedRouter.start("rtr-1", 0, tmp.resolve("router_key"), "admin", ROUTER_PASSWORD);
        Vault.open(h.data).put("rtr-1", "admin", new Credential.Password(ROUTER_PASSWORD));
        String otherKey = Keys.publicKeyLine(Keys.ed25519(Files.createDirectories(tmp.resolve("other")), "other"));
        String otherKeyTypeAndBlob = otherKey.split(" ")[0] + " " + otherKey.split(" ")[1];
        Vault.open(h.data).put("srv-wrongkey", h.sshd.user(),
                new Credential.PrivateKey(Files.readString(h.targetKey)));
        String extraTargets = """
                  - name: rtr-1
                    address: "127.0.0.1:%d"
                    hostKey: "%s"
                    classification: internal
                    labels: { kind: router }
                    accounts: [admin]
                  - name: srv-wrongkey
                    address: "127.0.0.1:%d"
                    hostKey: "%s"
                    classification: internal
                    labels: { kind: server }
                    accounts: [%s]
                  - name: rtr-approval
                    address: "127.0.0.1:%d"
                    hostKey: "%s"
                    classification: restricted
                    labels: { kind: core }
                    accounts: [admin]
                """.formatted(router.port(), router.hostKeyLine(), h.sshd.port(), otherKeyTypeAndBlob, h.sshd.user(),
                router.port(), router.hostKeyLine());
        String extraPolicies = """
                  - name: netops-routers
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: router } }
                    channels: [shell, exec]
                  - name: core-with-approval
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: core } }
                    channels: [shell, exec]
                    approval: { required: true, approvers: [{ teams: [security] }], count: 1 }
                """;
        h.start(h.yaml(h.sshd.hostKeyLine(), extraTargets, extraPolicies));
    }

    @AfterAll
    void stop() throws Exception {
        if (h != null) {
            h.close();
        }
        if (router != null) {
            router.close();
        }
    }

    @Test
    void passwordIsInjectedIntoADeviceThatOnlyTakesPasswords() {
        Result r = h.alice("rtr-1").ssh("show version");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().contains("Version"), r.stdout());
    }

    @Test
    void interactiveSessionOnTheDeviceIsRecordedAndExportsAsAsciicast() throws Exception {
        try (Pty pty = Pty.start(h.alice("rtr-1").withArgs("-tt").sshCommandLine(), 120, 40)) {
            pty.expect("rtr-1>", Duration.ofSeconds(20));
            pty.sendLine("show running-config");
            pty.expect("hostname rtr-1", Duration.ofSeconds(10));
            pty.sendLine("exit");
        }
        String id = latestRecording("rtr-1");
        Path cast = tmp.resolve("export.cast");
        assertEquals(0, dev.portier.gateway.cli.PortierCli.run("export", id, "-o", cast.toString(), "--data",
                h.data.toString()));
        // asciinema insists on a terminal: script(1) gives it one.
        Process p = new ProcessBuilder("script", "-qec", "asciinema cat '" + cast + "'", "/dev/null")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), text);
        assertTrue(text.contains("hostname rtr-1"), text);
    }

    @Test
    void injectedPasswordAppearsNowhereInTheDataDirectory() throws Exception {
        assertEquals(0, h.alice("rtr-1").ssh("show running-config").exit());
        String written = h.everythingWritten() + h.everythingRecorded();
        assertFalse(written.contains(ROUTER_PASSWORD), "the router password was found in the data directory");
    }

    @Test
    void pinnedHostKeyMismatchIsRefusedBeforeAnyCredentialIsSent() throws Exception {
        long authLinesBefore = h.sshd.log().lines().filter(l -> l.contains("publickey")).count();
        Result r = h.alice("srv-wrongkey").ssh("true");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("does not match the pinned key"), r.stderr());
        assertTrue(h.auditLog().contains("\"type\":\"hostkey.mismatch\""));
        // sshd saw no authentication attempt from Portier: the key exchange failed first.
        Thread.sleep(300);
        String log = h.sshd.log();
        assertEquals(authLinesBefore, log.lines().filter(l -> l.contains("publickey")).count(), log);
    }

    @Test
    void policyRequiringApprovalRefusesUntilRequestsExist() {
        Result r = h.alice("rtr-approval").ssh("show version");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("requires an approved request"), r.stderr());
    }

    @Test
    void channelKindOutsidePolicyIsRefused() throws Exception {
        Path f = Files.writeString(tmp.resolve("f.txt"), "x");
        Result r = h.client("alice#rtr-1", h.aliceKey).sftp("put " + f + " /tmp/f.txt");
        assertNotEquals(0, r.exit());
        assertTrue(h.auditLog().contains("channel-not-allowed"), h.auditLog());
    }

    @Test
    void agentForwardingIsRefusedAndAudited() throws Exception {
        Path sock = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 50 && !Files.exists(sock); i++) {
                Thread.sleep(100);
            }
            List<String> cmd = h.alice("srv-1").withArgs("-A").sshCommandLine("test -z \"$SSH_AUTH_SOCK\" && echo no-agent");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
            pb.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process ssh = pb.start();
            String out = new String(ssh.getInputStream().readAllBytes());
            String err = new String(ssh.getErrorStream().readAllBytes());
            assertEquals(0, ssh.waitFor(), err);
            assertEquals("no-agent\n", out);
            assertTrue(err.contains("agent forwarding is not allowed"), err);
            assertTrue(h.auditLog().contains("\"kind\":\"agent forwarding\""), h.auditLog());
        } finally {
            agent.destroy();
        }
    }

    @Test
    void menuListsTargetsAndConnectsToTheOnePicked() throws Exception {
        try (Pty pty = Pty.start(h.alice(null).withArgs("-tt").sshCommandLine(), 120, 40)) {
            pty.expect("portier> ", Duration.ofSeconds(20));
            String screen = pty.screen();
            assertTrue(screen.contains("rtr-1") && screen.contains("srv-1"), screen);
            pty.sendLine("rtr-1");
            pty.expect("rtr-1>", Duration.ofSeconds(20));
            pty.sendLine("exit");
        }
    }

    @Test
    void exitSignalOfTheTargetCommandIsPropagated() throws Exception {
        Result r = h.alice("srv-1").ssh("kill -TERM $$");
        assertEquals(255, r.exit(), r.stderr());
        assertTrue(eventuallyContains("\"exitSignal\":\"TERM\""), h.auditLog());
    }

    @Test
    void garbageOnTheSshPortDoesNotHurtTheServer() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.port)) {
                s.getOutputStream().write(("GET / HTTP/1.1\r\n\r\n" + "x".repeat(i * 100)).getBytes());
                s.getOutputStream().write(new byte[] {0, 1, 2, (byte) 0xff, 10});
            } catch (java.io.IOException ignored) {
                // the server may close first: that is a fine answer to garbage
            }
        }
        assertEquals(0, h.alice("srv-1").ssh("true").exit());
    }

    private boolean eventuallyContains(String text) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (h.auditLog().contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private String latestRecording(String target) throws Exception {
        try (dev.portier.recorder.RecordingStore store = new dev.portier.recorder.RecordingStore(
                h.data.resolve("recordings"))) {
            // The recording is closed just after the client saw the session end.
            for (int i = 0; i < 50; i++) {
                var found = store.list().stream().filter(r -> r.target().equals(target) && r.end() != null)
                        .reduce((a, b) -> b);
                if (found.isPresent()) {
                    return found.get().id();
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no closed recording for " + target + ": " + store.list());
        }
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
