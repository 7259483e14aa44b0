package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.gateway.evidence.VaultRecordingKeys;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import dev.portier.testsupport.OpenSshClient;
import dev.portier.testsupport.OpenSshClient.Result;
import dev.portier.testsupport.Pty;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The brokering path end to end: the real OpenSSH clients, through Portier, to a real OpenSSH sshd, with
 * the credential injected from the vault and every terminal channel recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshBrokeringE2ETest {
    @TempDir
    static Path tmp;

    PortierHarness h;

    @BeforeAll
    void start() throws Exception {
        h = new PortierHarness(tmp).start();
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void execRunsOnTargetAndPropagatesExitStatus() {
        Result r = h.alice("srv-1").ssh("echo hello from $(whoami); exit 3");
        assertEquals(3, r.exit(), r.stderr());
        assertEquals("hello from " + h.sshd.user() + "\n", r.stdout());
    }

    @Test
    void stdinIsStreamedToTheTarget() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        Result r = h.alice("srv-1").withInput(data).ssh("sha256sum");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(sha256(data), r.stdout().split(" ")[0]);
    }

    @Test
    void hashSeparatorWorksLikeColon() {
        Result r = h.client("alice#srv-1", h.aliceKey).ssh("echo ok");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("ok\n", r.stdout());
    }

    @Test
    void namedAccountIsUsed() {
        Result r = h.client("alice:" + h.sshd.user() + "@srv-1", h.aliceKey).ssh("whoami");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(h.sshd.user() + "\n", r.stdout());
    }

    @Test
    void interactiveShellWorksThroughAPty() throws Exception {
        try (Pty pty = Pty.start(h.alice("srv-1").withArgs("-tt").sshCommandLine(), 100, 30)) {
            pty.sendLine("stty size");
            pty.expect("30 100", Duration.ofSeconds(20));
            pty.sendLine("echo result=$((6*7))");
            pty.expect("result=42", Duration.ofSeconds(10));
            pty.resize(90, 20);
            Thread.sleep(300);
            pty.sendLine("stty size");
            pty.expect("20 90", Duration.ofSeconds(10));
            pty.sendLine("exit 0");
        }
        assertTrue(h.auditLog().contains("\"type\":\"session.end\""));
    }

    @Test
    void sftpMovesA64MiBFileBothWaysIntact() throws Exception {
        Path local = bigFile("sftp-up.bin", 64);
        Path back = tmp.resolve("sftp-down.bin");
        Path remote = h.sshd.dir().resolve("sftp-remote.bin");
        Result r = h.client("alice#srv-1", h.aliceKey).withTimeout(Duration.ofMinutes(3))
                .sftp("put " + local + " " + remote + "\nget " + remote + " " + back + "\n");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(sha256(local), sha256(remote));
        assertEquals(sha256(local), sha256(back));
        assertTrue(h.auditLog().contains("\"channel\":\"sftp\""));
        // The transfer is evidence: path and SHA-256 of the bytes that crossed, both ways.
        String events = allEvents();
        assertTrue(events.contains(remote.toString()), events);
        assertTrue(events.contains(sha256(local)), events);
        assertTrue(eventually(() -> h.auditLog().contains("\"type\":\"transfer.sftp.close\"")
                && h.auditLog().contains(sha256OrEmpty(local))), "the audit log holds the transfer evidence too");
    }

    @Test
    void recordingsListJsonHasTheContractFields() throws Exception {
        assertEquals(0, h.alice("srv-1").ssh("echo listed").exit());
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, dev.portier.gateway.cli.PortierCli.run("recordings", "list", "--json", "--data",
                    h.data.toString()));
        } finally {
            System.setOut(old);
        }
        String first = buf.toString(java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(first);
        for (String field : java.util.List.of("id", "sessionId", "user", "target", "account", "start", "end", "status")) {
            assertTrue(n.has(field), field + " missing in " + first);
        }
        assertEquals("alice", n.get("user").asText());
    }

    @Test
    void scpMovesA64MiBFileBothWaysIntact() throws Exception {
        Path local = bigFile("scp-up.bin", 64);
        Path remote = h.sshd.dir().resolve("scp-remote.bin");
        Path back = tmp.resolve("scp-down.bin");
        OpenSshClient c = h.client("alice#srv-1", h.aliceKey).withTimeout(Duration.ofMinutes(3));
        Result up = c.scp(local.toString(), c.remote(remote.toString()));
        assertEquals(0, up.exit(), up.stderr());
        // OpenSSH's scp refuses '#' in the user of a remote source; the login goes in -o User instead.
        OpenSshClient d = h.client("alice#srv-1", h.aliceKey).withTimeout(Duration.ofMinutes(3))
                .withOption("User=alice#srv-1");
        Result down = d.scp("127.0.0.1:" + remote, back.toString());
        assertEquals(0, down.exit(), down.stderr());
        assertEquals(sha256(local), sha256(remote));
        assertEquals(sha256(local), sha256(back));
    }

    @Test
    void legacyScpMovesA64MiBFileBothWaysIntact() throws Exception {
        Path local = bigFile("scp-legacy-up.bin", 64);
        Path remote = h.sshd.dir().resolve("scp-legacy-remote.bin");
        Path back = tmp.resolve("scp-legacy-down.bin");
        // Legacy scp refuses '#' in any user name on its command line: the login goes in -o User.
        OpenSshClient c = h.client("alice#srv-1", h.aliceKey).withTimeout(Duration.ofMinutes(3)).withArgs("-O")
                .withOption("User=alice#srv-1");
        Result up = c.scp(local.toString(), "127.0.0.1:" + remote);
        assertEquals(0, up.exit(), up.stderr());
        Result down = c.scp("127.0.0.1:" + remote, back.toString());
        assertEquals(0, down.exit(), down.stderr());
        assertEquals(sha256(local), sha256(remote));
        assertEquals(sha256(local), sha256(back));
    }

    @Test
    void rsyncCopiesADirectory() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("rsync-src/sub"));
        Files.writeString(src.resolve("a.txt"), "alpha\n");
        Files.write(src.resolve("b.bin"), new byte[200_000]);
        Path dst = h.sshd.dir().resolve("rsync-dst");
        OpenSshClient c = h.client("alice#srv-1", h.aliceKey);
        Result r = c.rsync("-a", tmp.resolve("rsync-src") + "/", c.remote(dst + "/"));
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("alpha\n", Files.readString(dst.resolve("sub/a.txt")));
        assertEquals(200_000, Files.size(dst.resolve("sub/b.bin")));
    }

    @Test
    void wrongUserKeyIsRefused() throws Exception {
        Result r = h.client("alice:srv-1", h.malloryKey).ssh("true");
        assertEquals(255, r.exit());
        assertTrue(r.stderr().contains("Permission denied"), r.stderr());
        // The failure is audited when the connection closes, just after the client gave up.
        assertTrue(eventually(() -> h.auditLog().contains("\"type\":\"auth.failure\"")));
    }

    @Test
    void unknownTargetIsRefusedWithAClearMessage() {
        Result r = h.alice("no-such-target").ssh("true");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("unknown target no-such-target"), r.stderr());
    }

    @Test
    void malformedUsernameIsRefusedWithAClearMessage() {
        Result r = h.client("alice:bad!target", h.aliceKey).ssh("true");
        assertEquals(255, r.exit());
        assertTrue(r.stderr().contains("malformed username"), r.stderr());
    }

    @Test
    void portierCommandsAnswerWithoutATarget() {
        Result targets = h.alice(null).ssh("targets");
        assertEquals(0, targets.exit(), targets.stderr());
        assertTrue(targets.stdout().contains("srv-1"), targets.stdout());
        Result who = h.alice(null).ssh("whoami", "--json");
        assertEquals(0, who.exit());
        assertTrue(who.stdout().contains("\"user\":\"alice\""), who.stdout());
        Result unknown = h.alice(null).ssh("frobnicate");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.stderr().contains("unknown command 'frobnicate'"), unknown.stderr());
    }

    @Test
    void userWithoutPolicyIsRefused() {
        Result r = h.client("bob:srv-1", h.bobKey).ssh("true");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("portier:"), r.stderr());
        assertTrue(h.auditLog().contains("\"type\":\"access.denied\""));
    }

    @Test
    void injectedPrivateKeyAppearsNowhereInTheDataDirectory() throws Exception {
        assertEquals(0, h.alice("srv-1").ssh("echo leakcheck").exit());
        String key = Files.readString(h.targetKey);
        String written = h.everythingWritten() + h.everythingRecorded();
        // The first base64 line is the same header in every OpenSSH ed25519 key (Portier's host key has it too).
        for (String line : key.lines().filter(l -> !l.startsWith("-----")).skip(1).toList()) {
            assertFalse(written.contains(line), "a line of the private key was found in the data directory");
        }
    }

    @Test
    void localForwardingIsRefusedAndAudited() throws Exception {
        int local = dev.portier.testsupport.FreePort.find();
        OpenSshClient c = h.alice("srv-1").withArgs("-L", local + ":127.0.0.1:" + h.sshd.port());
        Thread t = new Thread(() -> c.ssh("sleep 3"));
        t.start();
        boolean connected = false;
        for (int i = 0; i < 50 && !connected; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", local)) {
                connected = true;
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                assertEquals(-1, readBanner(in), "a tunnel reached the target's sshd");
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        t.join();
        assertTrue(connected, "ssh never opened the local forwarding port");
        assertTrue(h.auditLog().contains("\"type\":\"forwarding.refused\""));
    }

    @Test
    void remoteForwardingIsRefused() {
        Result r = h.alice("srv-1").withArgs("-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9").ssh("true");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("forwarding failed"), r.stderr());
        assertTrue(h.auditLog().contains("remote port forwarding"));
    }

    private static String sha256OrEmpty(Path file) {
        try {
            return sha256(file);
        } catch (Exception e) {
            return "";
        }
    }

    /** The structured events of every recording, decrypted. */
    private String allEvents() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (RecordingStore store = new RecordingStore(h.data.resolve("recordings"), VaultRecordingKeys.of(h.data))) {
            for (RecordingInfo r : store.list()) {
                try (InputStream in = store.openEvents(r.id())) {
                    sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return sb.toString();
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private static int readBanner(InputStream in) {
        try {
            return in.read();
        } catch (IOException e) {
            return -1;
        }
    }

    private Path bigFile(String name, int mib) throws IOException {
        Path p = tmp.resolve(name);
        Random rnd = new Random(name.hashCode());
        byte[] buf = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (int i = 0; i < mib; i++) {
                rnd.nextBytes(buf);
                out.write(buf);
            }
        }
        return p;
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
