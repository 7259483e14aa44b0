package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import dev.portier.testsupport.OpenSshClient.Result;
import dev.portier.testsupport.Pty;
import dev.portier.vault.Vault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest through the real OpenSSH client and a real sshd target: nothing a session showed or typed, and
 * no recording's data key, is in any file under the data directory (the search index included, which holds the
 * sessions' lines); export, replay and verify work from the data
 * directory; another or a missing master key fails closed with a clear message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordingEncryptionE2ETest {
    /** Printed by the target: the command line that produces it does not hold it. */
    private static final String OUTPUT_MARKER = "OUT-MARK-42";
    /** Typed by the user (input is recorded, and the shell echoes it); it prints {@code typed-marker-ab7}. */
    private static final String TYPED_MARKER = "echo typed-marker-ab$((3+4))";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    PortierHarness h;
    String execRecording;
    Path uploaded;

    @BeforeAll
    void start() throws Exception {
        h = new PortierHarness(tmp);
        h.start(h.yaml(h.sshd.hostKeyLine(), "", "") + "recording:\n  input: true\n");
        Result r = h.alice("srv-1").ssh("echo OUT-MARK-$((40+2))");
        assertEquals(OUTPUT_MARKER + "\n", r.stdout(), r.stderr());
        execRecording = awaitClosed(1).get(0);
        try (Pty pty = Pty.start(h.alice("srv-1").withArgs("-tt").sshCommandLine(), 100, 30)) {
            pty.sendLine("echo ready=$((40+2))");
            pty.expect("ready=42", Duration.ofSeconds(20));
            pty.sendLine(TYPED_MARKER);
            pty.expect("typed-marker-ab7", Duration.ofSeconds(10));
            pty.sendLine("exit 0");
            pty.awaitExit(Duration.ofSeconds(15));
        }
        Path local = Files.writeString(tmp.resolve("upload.txt"), "evidence\n");
        uploaded = h.sshd.dir().resolve("uploaded-by-alice.txt");
        assertEquals(0, h.client("alice#srv-1", h.aliceKey).sftp("put " + local + " " + uploaded + "\n").exit());
        assertEquals(3, awaitClosed(3).size(), "exec, shell and sftp recordings, all closed");
    }

    /** The recording closes just after the client saw the session end. */
    private List<String> awaitClosed(int count) throws Exception {
        for (int i = 0; i < 100 && closedRecordings().size() < count; i++) {
            Thread.sleep(100);
        }
        return closedRecordings();
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void noSessionContentInAnyFileUnderTheDataDirectory() throws Exception {
        // Part of each marker only: the search text itself goes to the audit log, which is scanned too.
        assertTrue(searchable("UT-MARK-4", OUTPUT_MARKER) && searchable("yped-marker-ab", "typed-marker-ab7"),
                "the search index holds the markers (searches find them), so the scan below covers it");
        String recorded = h.everythingRecorded();
        assertTrue(recorded.contains(OUTPUT_MARKER) && recorded.contains("typed-marker-ab$((3+4))")
                && recorded.contains("typed-marker-ab7")
                && recorded.contains(uploaded.toString()), "the markers were recorded: " + recorded);
        String written = h.everythingWritten();
        assertFalse(written.contains(OUTPUT_MARKER), "output found in the clear under the data directory");
        assertFalse(written.contains(TYPED_MARKER), "typed input found in the clear under the data directory");
        assertFalse(written.contains("typed-marker-ab7"), "shell output found in the clear under the data directory");
        try (Stream<Path> files = Files.list(h.data.resolve("recordings"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".events.jsonl")).toList()) {
                assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains(uploaded.getFileName().toString()),
                        "a transferred file's path in the clear in " + f.getFileName());
            }
        }
    }

    @Test
    void dataKeysAreNeverWrittenUnwrapped() throws Exception {
        String written = h.everythingWritten();
        Vault vault = Vault.openExisting(h.data);
        List<String> ids = closedRecordings();
        for (String id : ids) {
            JsonNode header = JSON.readTree(firstLine(h.data.resolve("recordings").resolve(id + ".cast")));
            byte[] key = vault.unwrapRecordingKey(id, header.path("portier").path("key").asText());
            assertEquals(32, key.length);
            assertFalse(written.contains(new String(key, StandardCharsets.ISO_8859_1)), "raw key of " + id);
            assertFalse(written.contains(Base64.getEncoder().withoutPadding().encodeToString(key).substring(0, 16)));
            assertFalse(written.contains(Base64.getUrlEncoder().withoutPadding().encodeToString(key).substring(0, 16)));
            assertFalse(written.contains(HexFormat.of().formatHex(key).substring(0, 16)), "hex key of " + id);
        }
    }

    @Test
    void exportReplayAndVerifyWorkFromTheDataDirectory() throws Exception {
        Path file = tmp.resolve("exported.cast");
        Cli export = cli("export", execRecording, "-o", file.toString(), "--data", h.data.toString());
        assertEquals(0, export.status(), export.err());
        String text = Files.readString(file);
        assertTrue(text.contains(OUTPUT_MARKER), text);
        assertEquals(2, JSON.readTree(text.lines().findFirst().orElseThrow()).get("version").asInt());
        Cli replay = cli("replay", execRecording, "--speed", "1000", "--data", h.data.toString());
        assertEquals(0, replay.status(), replay.err());
        assertTrue(replay.out().contains(OUTPUT_MARKER), replay.out());
        Cli verify = cli("verify", execRecording, "--data", h.data.toString());
        assertEquals(0, verify.status(), verify.out());
        assertTrue(verify.out().startsWith("VALID"), verify.out());
    }

    @Test
    void ownerReplaysAnEncryptedRecordingOverSsh() {
        Result r = h.alice(null).ssh("replay " + execRecording + " --speed 1000");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().contains(OUTPUT_MARKER), r.stdout());
    }

    @Test
    void anotherMasterKeyFailsClosedAndVerifyStillWorks() throws Exception {
        Path other = copyOfData("other-key");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(Files.createFile(other.resolve("master.key"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                Base64.getEncoder().encodeToString(key) + "\n");
        Path file = tmp.resolve("never.cast");
        Cli export = cli("export", execRecording, "-o", file.toString(), "--data", other.toString());
        assertEquals(1, export.status());
        // The export is audited first, and the evidence key is sealed by the master key too: with another master
        // key the tool stops there (the decryption refusal itself: EncryptedRecordingTest), and no new evidence key
        // replaces the one that verifies this data.
        assertTrue(export.err().contains("nothing was exported"), export.err());
        assertFalse(Files.exists(file), "no file from a failed export");
        assertFalse(Files.exists(tmp.resolve("never.cast.part")), "no partial file either");
        assertFalse(export.out().contains(OUTPUT_MARKER));
        Cli verify = cli("verify", execRecording, "--data", other.toString());
        assertEquals(0, verify.status(), verify.out());
    }

    @Test
    void missingMasterKeyFailsClosedAndIsNotCreated() throws Exception {
        Path bare = copyOfData("no-key");
        Cli replay = cli("replay", execRecording, "--data", bare.toString());
        assertEquals(1, replay.status());
        assertTrue(replay.err().contains("there is no master key") && replay.err().contains("nothing was replayed"),
                replay.err());
        assertFalse(Files.exists(bare.resolve("master.key")), "reading never creates a master key");
        Cli list = cli("recordings", "list", "--data", bare.toString());
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().contains(execRecording), "listing needs no key: " + list.out());
    }

    // --- helpers ---

    /** Recordings are indexed on the indexer thread once they close; alice searches her own. */
    private boolean searchable(String text, String line) throws Exception {
        for (int i = 0; i < 100; i++) {
            Result r = h.alice(null).ssh("recordings --grep " + text);
            assertEquals(0, r.exit(), r.stderr());
            if (r.stdout().contains(line)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private record Cli(int status, String out, String err) {
    }

    private static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = dev.portier.gateway.cli.PortierCli.run(args);
            return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The recordings and public keys of the data directory, without its master key. */
    private Path copyOfData(String name) throws Exception {
        Path copy = Files.createDirectories(tmp.resolve(name));
        for (String dir : List.of("recordings", "keys")) {
            Path from = h.data.resolve(dir);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : files.toList()) {
                    Path to = copy.resolve(dir).resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        return copy;
    }

    private List<String> closedRecordings() throws Exception {
        List<String> ids = new ArrayList<>();
        try (RecordingStore store = new RecordingStore(h.data.resolve("recordings"))) {
            for (RecordingInfo r : store.list()) {
                if (r.end() != null) {
                    ids.add(r.id());
                }
            }
        }
        return ids;
    }

    /** The clear header line; what follows is binary. */
    private static String firstLine(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int end = 0;
        while (bytes[end] != '\n') {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
