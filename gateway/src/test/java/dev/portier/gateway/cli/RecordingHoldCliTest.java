package dev.portier.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.recorder.RecordingMetadata;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.SessionRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portier recordings hold|release|list} and the storage configuration as the CLI meets it. */
class RecordingHoldCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run cli(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data", dir.resolve("data").toString()));
        if (config != null) {
            all.addAll(List.of("--config", config.toString()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = PortierCli.run(all.toArray(String[]::new));
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private String record() throws Exception {
        // A data directory as a gateway leaves it: a master key (the tools never make one), then a recording.
        dev.portier.vault.Vault.open(dir.resolve("data"));
        try (RecordingStore store = new RecordingStore(dir.resolve("data").resolve("recordings"))) {
            SessionRecorder r = store.open(new RecordingMetadata("s-9", "alice", "rtr-bru-01", "admin", "shell", null,
                    80, 24, "xterm", Instant.now(), false), e -> { });
            r.close(0, "exit");
            return store.list().get(0).id();
        }
    }

    private JsonNode listed() throws Exception {
        Run list = cli(null, "recordings", "list", "--json");
        assertEquals(0, list.exit(), list.err());
        return JSON.readTree(list.out().lines().findFirst().orElseThrow());
    }

    private String audit() throws Exception {
        return Files.readString(dir.resolve("data").resolve("audit").resolve(FileAuditLog.FILE_NAME));
    }

    @Test
    void holdAndReleaseAreAuditedAndShownInTheListing() throws Exception {
        String id = record();
        assertEquals("local", listed().get("location").asText());
        assertFalse(listed().get("held").asBoolean());

        Run hold = cli(null, "recordings", "hold", id, "--reason", "case 2026-114", "--as", "carol");
        assertEquals(0, hold.exit(), hold.err());
        assertTrue(listed().get("held").asBoolean());
        assertEquals("case 2026-114", listed().get("holdReason").asText());
        assertTrue(cli(null, "recordings", "list").out().contains("local held"));
        assertTrue(audit().contains("\"type\":\"recording.hold\",\"actor\":\"carol\""), audit());

        Run release = cli(null, "recordings", "release", id, "--as", "carol", "--reason", "case closed");
        assertEquals(0, release.exit(), release.err());
        assertFalse(listed().get("held").asBoolean());
        assertTrue(audit().contains("\"type\":\"recording.release\",\"actor\":\"carol\""), audit());
        assertEquals(1, cli(null, "recordings", "release", id).exit(), "nothing left to release");
    }

    @Test
    @SuppressWarnings("try") // the resource is held, not used
    void anAuditLogThatCannotBeWrittenChangesNothing() throws Exception {
        String id = record();
        // Opened in this very process, the log refuses a second writer outright (no gateway to hand over to).
        try (FileAuditLog running = new FileAuditLog(dir.resolve("data").resolve("audit"))) {
            Run hold = cli(null, "recordings", "hold", id, "--reason", "case 7");
            assertEquals(1, hold.exit());
            assertTrue(hold.err().contains("nothing changed"), hold.err());
        }
        assertFalse(listed().get("held").asBoolean());
    }

    @Test
    void aReasonIsRequiredAndMustBeOnePrintableLine() throws Exception {
        String id = record();
        assertEquals(2, cli(null, "recordings", "hold", id).exit());
        assertEquals(2, cli(null, "recordings", "hold", id, "--reason", "two\nlines").exit());
        assertEquals(2, cli(null, "recordings", "hold", id, "--reason", " ").exit());
        assertEquals(1, cli(null, "recordings", "hold", "20200101T000000Z-00000000", "--reason", "x").exit());
        assertFalse(listed().get("held").asBoolean());
    }

    @Test
    void aBadRecordingsUrlIsAConfigErrorWithFileAndLine() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "server: { dataDir: ./data }\nstorage:\n"
                + "  recordings: \"ftp://archive.example.net/rec\"\n");
        Run run = cli(config, "recordings", "list");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains(config + ":3: storage.recordings: is not an object store location"), run.err());
    }

    @Test
    void aClearTextSecretIsAConfigErrorWithFileAndLineThatNeverEchoesIt() throws Exception {
        Path config = Files.writeString(dir.resolve("clear.yaml"), """
                storage:
                  recordings: "s3://rec/portier"
                  s3:
                    accessKeyId: "env:PORTIER_S3_KEY_ID"
                    secretAccessKey: "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
                """);
        Run run = cli(config, "recordings", "list");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains(config + ":5: storage.s3.secretAccessKey: must not be written in clear"),
                run.err());
        assertFalse(run.err().contains("wJalr") || run.out().contains("wJalr"));
    }

    @Test
    void aVaultReferenceToNothingSaysWhatToStore() throws Exception {
        Path config = Files.writeString(dir.resolve("vault.yaml"), """
                storage:
                  recordings: "s3://rec/portier"
                  s3:
                    endpoint: "http://127.0.0.1:9"
                    accessKeyId: "vault:s3/key-id"
                    secretAccessKey: "vault:s3/secret"
                """);
        Run run = cli(config, "recordings", "list");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("portier vault put s3/key-id --password-stdin"), run.err());
    }
}
