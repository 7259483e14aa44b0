package dev.portier.access.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditInboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestEvidenceKey KEY = new TestEvidenceKey();

    @TempDir
    Path tmp;

    private Path dir() {
        return tmp.resolve("audit");
    }

    private static AuditEvent event(String type, String actor) {
        return new AuditEvent(Instant.parse("2026-11-27T10:15:30.123Z"), type, actor, "rtr-bru-01", null, null,
                null, "resolved for case 42", Map.of("pseudonym", "p-1a2b", "count", 3));
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir().resolve(FileAuditLog.FILE_NAME), StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(l));
        }
        return out.stream().filter(n -> !n.get("type").asText().equals("audit.checkpoint")).toList();
    }

    @Test
    @SuppressWarnings("try") // the resource is held, not used
    void aSecondWriterInTheSameProcessIsToldTheLogIsBusy() throws Exception {
        try (FileAuditLog holder = new FileAuditLog(dir(), KEY)) {
            AuditException e = assertThrows(AuditException.class, () -> {
                try (FileAuditLog second = new FileAuditLog(dir(), KEY)) {
                    second.record(event("x", "y"));
                }
            });
            // In one process the JVM reports an overlapping lock; it is a busy log all the same (tools hand over).
            assertInstanceOf(AuditLogBusyException.class, e);
            assertTrue(e.getMessage().contains("already open in this process"), e.getMessage());
        }
    }

    @Test
    void postedEventIsRecordedByTheHolderWithAllItsFieldsAndTheChainStaysValid() throws Exception {
        AuditInbox inbox = new AuditInbox(dir());
        try (FileAuditLog log = new FileAuditLog(dir(), KEY)) {
            log.record(event("gateway.start", "portier"));
            Path posted = inbox.post(event("pseudonym.resolved", "carol"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(posted)));
            assertFalse(inbox.recorded(posted));
            assertEquals(1, inbox.drainInto(log));
            assertTrue(inbox.recorded(posted));
            assertEquals(0, inbox.drainInto(log));
        }
        List<JsonNode> lines = lines();
        assertEquals(2, lines.size());
        JsonNode e = lines.get(1);
        assertEquals("pseudonym.resolved", e.get("type").asText());
        assertEquals("carol", e.get("actor").asText());
        assertEquals("rtr-bru-01", e.get("target").asText());
        assertEquals("resolved for case 42", e.get("reason").asText());
        assertEquals("p-1a2b", e.get("pseudonym").asText());
        assertEquals(3, e.get("count").asInt());
        assertEquals("inbox", e.get("via").asText());
        assertEquals("2026-11-27T10:15:30.123Z", e.get("time").asText());
        assertEquals(AuditVerification.Status.VALID,
                FileAuditLog.verify(dir().resolve(FileAuditLog.FILE_NAME), KEY.publicKey()).status());
    }

    @Test
    void withdrawnEventIsNotRecordedAndATakenOneCannotBeWithdrawn() throws Exception {
        AuditInbox inbox = new AuditInbox(dir());
        try (FileAuditLog log = new FileAuditLog(dir(), KEY)) {
            Path gone = inbox.post(event("replay", "carol"));
            assertTrue(inbox.withdraw(gone));
            Path kept = inbox.post(event("replay", "dave"));
            assertEquals(1, inbox.drainInto(log));
            assertFalse(inbox.withdraw(kept));
        }
        List<JsonNode> lines = lines();
        assertEquals(1, lines.size());
        assertEquals("dave", lines.get(0).get("actor").asText());
    }

    @Test
    void aClaimLeftByACrashIsRecordedOnTheNextDrain() throws Exception {
        AuditInbox inbox = new AuditInbox(dir());
        Path posted = inbox.post(event("pseudonym.resolved", "carol"));
        // The holder renamed it, then died before appending.
        Files.move(posted, posted.resolveSibling(posted.getFileName() + ".claimed"), StandardCopyOption.ATOMIC_MOVE);
        assertFalse(inbox.recorded(posted));
        assertFalse(inbox.withdraw(posted));
        try (FileAuditLog log = new FileAuditLog(dir(), KEY)) {
            assertEquals(1, inbox.drainInto(log));
        }
        assertTrue(inbox.recorded(posted));
        assertEquals("carol", lines().get(0).get("actor").asText());
        try (var files = Files.list(dir().resolve("inbox"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void anUnreadableEventIsSetAsideAndAuditedWithoutBlockingTheOthers() throws Exception {
        AuditInbox inbox = new AuditInbox(dir());
        Path bad = inbox.post(event("x", "mallory"));
        Files.writeString(bad, "{not json");
        inbox.post(event("pseudonym.resolved", "carol"));
        try (FileAuditLog log = new FileAuditLog(dir(), KEY)) {
            inbox.drainInto(log);
        }
        List<JsonNode> lines = lines();
        assertEquals(2, lines.size());
        assertEquals("audit.inbox-rejected", lines.get(0).get("type").asText());
        assertEquals("carol", lines.get(1).get("actor").asText());
        assertTrue(Files.exists(bad.resolveSibling(bad.getFileName() + ".claimed.rejected")));
    }
}
