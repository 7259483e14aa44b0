package dev.portier.access.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZEROS = "0".repeat(64);
    private static final TestEvidenceKey KEY = new TestEvidenceKey();

    @TempDir
    Path tmp;

    private Path dir() {
        return tmp.resolve("audit");
    }

    private Path file() {
        return dir().resolve(FileAuditLog.FILE_NAME);
    }

    private static AuditEvent event(String type, String actor, Map<String, Object> details) {
        return new AuditEvent(Instant.parse("2026-11-27T10:15:30.123Z"), type, actor, "rtr-bru-01", "s-1", null,
                "allow", "standing policy netops", details);
    }

    private void writeEvents(int n) throws Exception {
        try (FileAuditLog log = new FileAuditLog(dir(), KEY)) {
            for (int i = 0; i < n; i++) {
                log.record(event("session.start", "alice", Map.of("seq", i)));
            }
        }
    }

    private AuditVerification verify() {
        return FileAuditLog.verify(file(), KEY.publicKey());
    }

    private static void assertVerdict(AuditVerification.Status status, long events, String problemStart,
            AuditVerification v) {
        assertEquals(status, v.status(), v.toString());
        assertEquals(events, v.events(), v.toString());
        if (problemStart == null) {
            assertEquals(null, v.firstProblem());
        } else {
            assertTrue(v.firstProblem() != null && v.firstProblem().startsWith(problemStart), v.toString());
        }
    }

    private List<String> lines() throws IOException {
        return Files.readAllLines(file(), StandardCharsets.UTF_8);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void eachEventIsOneJsonLineWithFieldsInContractOrder() throws Exception {
        try (FileAuditLog log = new FileAuditLog(dir())) {
            log.record(new AuditEvent(Instant.parse("2026-11-27T10:15:30Z"), "session.end", "alice", "rtr-bru-01",
                    "s-1", "r-7", "allow", "ended", Map.of("exitStatus", 0, "bytes", 42L)));
        }
        List<String> lines = lines();
        assertEquals(1, lines.size());
        JsonNode n = JSON.readTree(lines.get(0));
        assertEquals(List.of("time", "type", "actor", "target", "sessionId", "requestId", "decision", "reason",
                "bytes", "exitStatus", "prevHash", "hash"), fieldNames(n));
        assertEquals("2026-11-27T10:15:30Z", n.get("time").asText());
        assertEquals(42, n.get("bytes").asLong());
    }

    @Test
    void nullFieldsAreLeftOut() throws Exception {
        try (FileAuditLog log = new FileAuditLog(dir())) {
            log.record(new AuditEvent(Instant.now(), "auth.failure", "mallory", null, null, null, "deny", null, null));
        }
        JsonNode n = JSON.readTree(lines().get(0));
        assertEquals(List.of("time", "type", "actor", "decision", "prevHash", "hash"), fieldNames(n));
    }

    @Test
    void timeIsIsoUtcAndFilledInWhenMissing() throws Exception {
        try (FileAuditLog log = new FileAuditLog(dir())) {
            log.record(new AuditEvent(null, "auth.success", "alice", null, null, null, "allow", null, null));
        }
        String time = JSON.readTree(lines().get(0)).get("time").asText();
        assertTrue(time.endsWith("Z"), time);
        Instant.parse(time);
    }

    @Test
    void detailsAreFlattenedAndCollisionsNestedUnderDetails() throws Exception {
        try (FileAuditLog log = new FileAuditLog(dir())) {
            log.record(event("session.end", "alice",
                    Map.of("durationMs", 1500, "actor", "spoofed", "hash", "x", "channel", "shell")));
        }
        JsonNode n = JSON.readTree(lines().get(0));
        assertEquals("alice", n.get("actor").asText());
        assertEquals(1500, n.get("durationMs").asInt());
        assertEquals("shell", n.get("channel").asText());
        assertEquals("spoofed", n.get("details").get("actor").asText());
        assertEquals("x", n.get("details").get("hash").asText());
        assertEquals(List.of("time", "type", "actor", "target", "sessionId", "decision", "reason", "channel",
                "durationMs", "details", "prevHash", "hash"), fieldNames(n));
    }

    @Test
    void nonJsonDetailValuesAreWrittenAsText() throws Exception {
        try (FileAuditLog log = new FileAuditLog(dir())) {
            log.record(event("grant.created", "bob", Map.of("until", Instant.parse("2026-11-27T12:00:00Z"),
                    "accounts", List.of("admin", "backup"))));
        }
        JsonNode n = JSON.readTree(lines().get(0));
        assertEquals("2026-11-27T12:00:00Z", n.get("until").asText());
        assertEquals(2, n.get("accounts").size());
    }

    @Test
    void firstEventChainsFromZerosAndEachNextFromThePrevious() throws Exception {
        writeEvents(3);
        List<String> lines = lines();
        assertEquals(ZEROS, JSON.readTree(lines.get(0)).get("prevHash").asText());
        for (int i = 1; i < lines.size(); i++) {
            assertEquals(JSON.readTree(lines.get(i - 1)).get("hash").asText(),
                    JSON.readTree(lines.get(i)).get("prevHash").asText());
        }
    }

    @Test
    void hashIsSha256OfPrevHashAndTheLineWithoutItsHash() throws Exception {
        writeEvents(2);
        for (String line : lines()) {
            JsonNode n = JSON.readTree(line);
            String hash = n.get("hash").asText();
            String withoutHash = line.replace(",\"hash\":\"" + hash + "\"", "");
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((n.get("prevHash").asText() + "\n" + withoutHash).getBytes(StandardCharsets.UTF_8));
            assertEquals(HexFormat.of().formatHex(digest), hash);
        }
    }

    @Test
    void intactChainVerifies() throws Exception {
        writeEvents(5);
        assertVerdict(AuditVerification.Status.VALID, 5, null, verify());
    }

    @Test
    void emptyLogVerifies() throws Exception {
        new FileAuditLog(dir(), KEY).close();
        assertVerdict(AuditVerification.Status.VALID, 0, null, verify());
    }

    @Test
    void modifiedLineIsReportedWithItsLineNumber() throws Exception {
        writeEvents(3);
        List<String> lines = new ArrayList<>(lines());
        lines.set(1, lines.get(1).replace("\"actor\":\"alice\"", "\"actor\":\"mallory\""));
        Files.write(file(), lines, StandardCharsets.UTF_8);
        assertVerdict(AuditVerification.Status.TAMPERED, 1, "line 2: hash does not match", verify());
    }

    @Test
    void removedLineIsReportedWhereTheChainBreaks() throws Exception {
        writeEvents(3);
        List<String> lines = new ArrayList<>(lines());
        lines.remove(1);
        Files.write(file(), lines, StandardCharsets.UTF_8);
        assertVerdict(AuditVerification.Status.TAMPERED, 1, "line 2: prevHash does not match", verify());
    }

    @Test
    void duplicatedFieldIsRejected() throws Exception {
        writeEvents(1);
        String line = lines().get(0);
        Files.writeString(file(), line.replace("{\"time\"", "{\"actor\":\"x\",\"time\"") + "\n");
        assertEquals(AuditVerification.Status.TAMPERED, verify().status());
    }

    @Test
    void reopenedLogContinuesTheChain() throws Exception {
        writeEvents(2);
        writeEvents(1);
        List<String> lines = lines();
        assertEquals(5, lines.size(), "two events, checkpoint, one event, checkpoint");
        assertEquals(JSON.readTree(lines.get(2)).get("hash").asText(),
                JSON.readTree(lines.get(3)).get("prevHash").asText());
        assertVerdict(AuditVerification.Status.VALID, 3, null, verify());
    }

    @Test
    void tornLastLineIsKeptAndANewSegmentRecordsIt() throws Exception {
        writeEvents(2);
        byte[] torn = "{\"time\":\"2026-11-27T10:".getBytes(StandardCharsets.UTF_8);
        Files.write(file(), torn, StandardOpenOption.APPEND);
        String lastValidHash = JSON.readTree(lines().get(2)).get("hash").asText();
        byte[] before = Files.readAllBytes(file());

        writeEvents(1);

        byte[] after = Files.readAllBytes(file());
        assertArrayEquals(before, Arrays.copyOf(after, before.length), "nothing already written changes");
        List<String> lines = lines();
        assertEquals(7, lines.size());
        JsonNode resumed = JSON.readTree(lines.get(4));
        assertEquals("audit.chain-resumed", resumed.get("type").asText());
        assertEquals(lastValidHash, resumed.get("prevHash").asText());
        assertEquals(4, resumed.get("badLine").asLong());
        assertEquals("incomplete line (interrupted write)", resumed.get("problem").asText());
        assertVerdict(AuditVerification.Status.VALID, 4, null, verify());
    }

    @Test
    void garbledLastLineIsKeptAndANewSegmentRecordsIt() throws Exception {
        writeEvents(1);
        Files.write(file(), "not json at all\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        writeEvents(1);
        List<String> lines = lines();
        assertEquals("not json at all", lines.get(2));
        JsonNode resumed = JSON.readTree(lines.get(3));
        assertEquals("audit.chain-resumed", resumed.get("type").asText());
        assertEquals(JSON.readTree(lines.get(1)).get("hash").asText(), resumed.get("prevHash").asText());
        assertVerdict(AuditVerification.Status.VALID, 3, null, verify());
    }

    @Test
    void tornLineNotYetAccountedForReadsTruncated() throws Exception {
        writeEvents(2);
        Files.write(file(), "{\"time\":".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        AuditVerification v = verify();
        assertVerdict(AuditVerification.Status.TRUNCATED, 2, "valid up to ", v);
        assertTrue(v.firstProblem().endsWith("line 4: incomplete line (interrupted write)"), v.toString());
    }

    @Test
    void garbledLineInTheMiddleFailsVerification() throws Exception {
        writeEvents(3);
        List<String> lines = new ArrayList<>(lines());
        lines.set(1, "garbage");
        Files.write(file(), lines, StandardCharsets.UTF_8);
        assertVerdict(AuditVerification.Status.TAMPERED, 1, "line 2: ", verify());
    }

    @Test
    void logFileIsOwnerOnly() throws Exception {
        writeEvents(1);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())));
    }

    @Test
    void existingLogFileIsTightenedToOwnerOnly() throws Exception {
        writeEvents(1);
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));
        writeEvents(1);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
    }

    @Test
    void secondWriterOnTheSameLogIsRefused() throws Exception {
        try (FileAuditLog log = new FileAuditLog(dir())) {
            log.record(event("session.start", "alice", Map.of()));
            assertThrows(AuditException.class, () -> new FileAuditLog(dir()));
        }
    }

    @Test
    void recordAfterCloseFails() throws Exception {
        FileAuditLog log = new FileAuditLog(dir());
        log.close();
        assertThrows(AuditException.class, () -> log.record(event("session.start", "alice", Map.of())));
    }

    @Test
    void concurrentWritersKeepOneValidChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (FileAuditLog log = new FileAuditLog(dir(), KEY)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        log.record(event("session.start", "user" + thread, Map.of("seq", i)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertVerdict(AuditVerification.Status.VALID, 800, null, verify());
    }

    @Test
    void missingFileDoesNotVerify() {
        AuditVerification v = FileAuditLog.verify(tmp.resolve("nope.jsonl"), KEY.publicKey());
        assertFalse(v.valid());
        assertTrue(v.firstProblem().startsWith("cannot read "), v.firstProblem());
    }
}
