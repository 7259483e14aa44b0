package dev.portier.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.gateway.Gateway;
import dev.portier.recorder.RecorderSettings;
import dev.portier.recorder.RecordingMetadata;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.SessionRecorder;
import dev.portier.vault.Vault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portier recordings search} and {@code portier replay} options, offline on a data directory. */
class RecordingsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private record Run(int exit, String out, String err) {
    }

    private Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] all = Arrays.copyOf(args, args.length + 2);
            all[args.length] = "--data";
            all[args.length + 1] = data.toString();
            return new Run(PortierCli.run(all), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private String record(String user, String... outputs) throws Exception {
        try (RecordingStore store = new RecordingStore(data.resolve("recordings"),
                Gateway.evidenceSigner(Vault.open(data), data), RecorderSettings.DEFAULTS)) {
            SessionRecorder r = store.open(new RecordingMetadata("s-" + user, user, "rtr-bru-01", "admin", "shell",
                    null, 80, 24, "xterm", Instant.now(), false), e -> { });
            for (String o : outputs) {
                byte[] b = o.getBytes(StandardCharsets.UTF_8);
                r.output(b, 0, b.length);
            }
            r.close(0, "exit");
            return store.list().stream().filter(x -> x.user().equals(user)).findFirst().orElseThrow().id();
        }
    }

    @Test
    void searchIndexesWhatItLacksFindsTheLineAndIsAudited() throws Exception {
        String id = record("alice", "rtr-bru-01#show clock\r\n*17:35:01.250 UTC Fri Nov 27 2026\r\nrtr-bru-01#");
        Run run = cli("recordings", "search", "--grep", "SHOW CLOCK", "--json", "--as", "carol");
        assertEquals(0, run.exit(), run.err());
        JsonNode hit = JSON.readTree(run.out());
        assertEquals(id, hit.get("recording").asText());
        assertEquals("rtr-bru-01#show clock", hit.get("line").asText());
        assertEquals("output", hit.get("kind").asText());
        assertTrue(run.err().contains("1 recording(s) to index"), run.err());
        String audit = Files.readString(data.resolve("audit").resolve(FileAuditLog.FILE_NAME));
        assertTrue(audit.lines().anyMatch(l -> l.contains("\"type\":\"recording.searched\"")
                && l.contains("\"actor\":\"carol\"") && l.contains("\"grep\":\"SHOW CLOCK\"")
                && l.contains("\"osUser\"") && l.contains("\"hits\":1")), audit);
        Run again = cli("recordings", "search", "--grep", "show clock");
        assertTrue(again.err().contains("up to date (1 recordings)"), again.err());
        assertTrue(again.out().startsWith(id), again.out());
    }

    @Test
    void badSearchOptionsExitTwoAndSearchNothing() {
        Run run = cli("recordings", "search", "--grep", "x");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--grep: the search text needs at least 2 characters"), run.err());
        assertEquals(2, cli("recordings", "search", "--grep", "abc", "--since", "soon").exit());
        assertTrue(!Files.exists(data.resolve("audit")), "a refused search writes nothing");
    }

    @Test
    void replayFromPastTheEndShowsEverythingAndSaysWhereItEnded() throws Exception {
        String id = record("alice", "first line\r\n", "second line\r\n");
        Run run = cli("replay", id, "--from", "10:00");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("first line") && run.out().contains("second line"), run.out());
        assertTrue(run.err().contains("the recording ends at 00:00, before --from 10:00"), run.err());
    }

    @Test
    void replayAndExportOnTheCommandLineAreAuditedWithWhoAndWhose() throws Exception {
        String id = record("alice", "evidence line\r\n");
        assertEquals(0, cli("replay", id, "--as", "carol", "--speed", "1000").exit());
        assertEquals(0, cli("export", id, "--as", "carol").exit());
        String audit = Files.readString(data.resolve("audit").resolve(FileAuditLog.FILE_NAME));
        assertTrue(audit.lines().anyMatch(l -> l.contains("\"type\":\"recording.replayed\",\"actor\":\"carol\"")
                && l.contains("\"owner\":\"alice\"") && l.contains("\"recording\":\"" + id + "\"")
                && l.contains("\"speed\":\"1000\"")), audit);
        assertTrue(audit.lines().anyMatch(l -> l.contains("\"type\":\"recording.exported\",\"actor\":\"carol\"")
                && l.contains("\"to\":\"stdout\"")), audit);
    }

    @Test
    void noReplayWhenItCannotBeAudited() throws Exception {
        String id = record("alice", "secret-ish line\r\n");
        Files.createDirectories(data.resolve("audit"));
        // An audit log that cannot be opened (a directory in its place): nothing may be shown.
        Files.createDirectory(data.resolve("audit").resolve(FileAuditLog.FILE_NAME));
        Run run = cli("replay", id, "--speed", "1000");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("nothing was replayed"), run.err());
        assertTrue(!run.out().contains("secret-ish line"), run.out());
    }

    @Test
    void replayOptionsAreChecked() throws Exception {
        String id = record("alice", "x\r\n");
        Run badFrom = cli("replay", id, "--from", "5");
        assertEquals(2, badFrom.exit());
        assertTrue(badFrom.err().contains("--from: '5' is not an offset"), badFrom.err());
        Run badSpeed = cli("replay", id, "--speed", "0");
        assertEquals(2, badSpeed.exit());
        assertTrue(badSpeed.err().contains("--speed must be a number above 0"), badSpeed.err());
        Run skip = cli("replay", id, "--skip-idle", "--speed", "1000");
        assertEquals(0, skip.exit(), skip.err());
        assertTrue(skip.out().contains("x"));
    }
}
