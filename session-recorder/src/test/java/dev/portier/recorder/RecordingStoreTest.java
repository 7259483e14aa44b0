package dev.portier.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingStoreTest {
    @TempDir
    Path data;
    private RecordingStore store;

    private RecordingStore store() {
        if (store == null) {
            store = new RecordingStore(data.resolve("recordings"));
        }
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    static RecordingMetadata meta(boolean recordInput) {
        return new RecordingMetadata("s-1", "alice", "rtr-bru-01", "admin", "shell", null, 120, 40,
                "xterm-256color", Instant.parse("2026-11-27T17:35:01.250Z"), recordInput);
    }

    static void write(SessionRecorder r, String text, boolean input) throws RecorderException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (input) {
            r.input(b, 0, b.length);
        } else {
            r.output(b, 0, b.length);
        }
    }

    private String onlyId() throws Exception {
        List<RecordingInfo> all = store().list();
        assertEquals(1, all.size());
        return all.get(0).id();
    }

    @Test
    void recordingParsesAsAsciicastV2() throws Exception {
        SessionRecorder r = store().open(meta(true), e -> { });
        write(r, "$ ", false);
        Thread.sleep(20);
        write(r, "ls\r", true);
        Thread.sleep(20);
        write(r, "file1\r\n", false);
        r.resize(100, 30);
        r.close(0, "exit");

        Cast cast = Cast.parse(store().castFile(onlyId()));
        JsonNode h = cast.header();
        assertEquals(120, h.get("width").asInt());
        assertEquals(40, h.get("height").asInt());
        assertEquals(Instant.parse("2026-11-27T17:35:01Z").getEpochSecond(), h.get("timestamp").asLong());
        assertEquals("xterm-256color", h.get("env").get("TERM").asText());
        assertEquals("alice -> admin@rtr-bru-01 (shell)", h.get("title").asText());
        JsonNode p = h.get("portier");
        assertEquals("s-1", p.get("sessionId").asText());
        assertEquals("alice", p.get("user").asText());
        assertEquals("rtr-bru-01", p.get("target").asText());
        assertEquals("admin", p.get("account").asText());
        assertEquals("shell", p.get("channel").asText());
        assertTrue(p.get("command").isNull());
        assertTrue(p.get("recordInput").asBoolean());

        assertEquals(List.of("o", "i", "o", "r"), cast.events().stream().map(Cast.Event::code).toList());
        assertEquals(List.of("$ ", "ls\r", "file1\r\n", "100x30"),
                cast.events().stream().map(Cast.Event::data).toList());
        double last = 0;
        for (Cast.Event e : cast.events()) {
            assertTrue(e.time() >= last, "times never go back");
            last = e.time();
        }
        assertTrue(last > 0.03 && last < 10, "times are seconds since the start: " + last);
    }

    @Test
    void multibyteCharactersSplitAcrossChunksDecode() throws Exception {
        SessionRecorder r = store().open(meta(false), e -> { });
        byte[] text = "é€😀 ok ✓".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < text.length; i++) {
            r.output(text, i, 1);
        }
        byte[] broken = {'a', (byte) 0xff, 'b', (byte) 0xe2, (byte) 0x82};
        r.output(broken, 0, broken.length);
        r.close(0, "exit");
        assertEquals("é€😀 ok ✓a\uFFFDb\uFFFD", Cast.parse(store().castFile(onlyId())).text("o"));
    }

    @Test
    void inputIsNotRecordedUnlessEnabled() throws Exception {
        SessionRecorder r = store().open(meta(false), e -> { });
        write(r, "secret-typed\r", true);
        write(r, "prompt$ ", false);
        r.close(0, "exit");
        String id = onlyId();
        Cast cast = Cast.parse(store().castFile(id));
        assertEquals(List.of(), cast.of("i"));
        assertFalse(cast.header().get("portier").get("recordInput").asBoolean());
        assertFalse(Files.readString(store().castFile(id)).contains("secret-typed"));
        JsonNode meta = Cast.JSON.readTree(data.resolve("recordings").resolve(id + ".meta.json").toFile());
        assertEquals(13, meta.get("bytesIn").asLong(), "typed bytes are still counted");
    }

    @Test
    void exportIsAPlainAsciicast() throws Exception {
        SessionRecorder r = store().open(meta(true), e -> { });
        write(r, "hello \u001b[1mworld\u001b[0m\r\n", false);
        write(r, "x", true);
        r.close(0, "exit");
        String id = onlyId();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store().export(id, out);
        Cast exported = Cast.parse(out.toString(StandardCharsets.UTF_8));
        Cast stored = Cast.parse(store().castFile(id));
        Set<String> keys = new TreeSet<>();
        exported.header().fieldNames().forEachRemaining(keys::add);
        assertEquals(new TreeSet<>(List.of("version", "width", "height", "timestamp", "title", "env")), keys);
        assertEquals(stored.events(), exported.events());
        assertEquals("hello \u001b[1mworld\u001b[0m\r\n", exported.text("o"));
    }

    @Test
    void exportLeavesOutAPartialLastLine() throws Exception {
        SessionRecorder r = store().open(meta(false), e -> { });
        write(r, "complete\r\n", false);
        r.close(0, "exit");
        String id = onlyId();
        Files.writeString(store().castFile(id), "[9.5, \"o\", \"cut sho", java.nio.file.StandardOpenOption.APPEND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store().export(id, out);
        assertEquals("complete\r\n", Cast.parse(out.toString(StandardCharsets.UTF_8)).text("o"));
    }

    @Test
    void exportOfAnUnknownRecordingFails() {
        assertThrows(NoSuchFileException.class,
                () -> store().export("20260101T000000Z-00000000", new ByteArrayOutputStream()));
    }

    @Test
    void dataReachesDiskWithinOneSecondWithoutClose() throws Exception {
        SessionRecorder r = store().open(meta(false), e -> { });
        Path cast = store().castFile(onlyId());
        write(r, "marker-42\r\n", false);
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (!Files.readString(cast).contains("marker-42") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.readString(cast).contains("marker-42"), "written within 1 s while still open");
        assertEquals("marker-42\r\n", Cast.parse(cast).text("o"), "what is on disk is valid asciicast");
        r.close(0, "exit");
    }

    @Test
    void structuredEventsGoToTheEventsFileAndTheCast() throws Exception {
        RecordingMetadata sftp = new RecordingMetadata("s-2", "bob", "srv1", "root", "sftp", "sftp", 0, 0, null,
                Instant.now(), false);
        SessionRecorder r = store().open(sftp, e -> { });
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("path", "/tmp/f");
        fields.put("mode", "write");
        r.event("sftp.open", fields);
        r.event("sftp.remove", Map.of("path", "/tmp/evil\u001b[2J name"));
        r.close(0, "exit");
        String id = onlyId();
        Cast cast = Cast.parse(store().castFile(id));
        assertEquals(80, cast.header().get("width").asInt(), "a default size without a PTY");
        assertEquals("[portier] sftp.open path=/tmp/f mode=write\r\n"
                + "[portier] sftp.remove path=\"/tmp/evil\\u001b[2J name\"\r\n", cast.text("o"));
        List<String> lines = Files.readAllLines(data.resolve("recordings").resolve(id + ".events.jsonl"));
        assertEquals(2, lines.size());
        JsonNode first = Cast.JSON.readTree(lines.get(0));
        assertTrue(first.get("t").isNumber());
        assertEquals("sftp.open", first.get("kind").asText());
        assertEquals("/tmp/f", first.get("fields").get("path").asText());
        assertEquals("write", first.get("fields").get("mode").asText());
        assertEquals("/tmp/evil\u001b[2J name",
                Cast.JSON.readTree(lines.get(1)).get("fields").get("path").asText());
    }

    @Test
    void burstOfSmallChunksIsCoalesced() throws Exception {
        SessionRecorder r = store().open(meta(false), e -> { });
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            write(r, "line " + i + "\r\n", false);
            expected.append("line ").append(i).append("\r\n");
        }
        r.close(0, "exit");
        Cast cast = Cast.parse(store().castFile(onlyId()));
        assertEquals(expected.toString(), cast.text("o"));
        assertTrue(cast.events().size() < 200, "merged into few events: " + cast.events().size());
    }

    @Test
    void listAndMetadataShowTheRecordingLifecycle() throws Exception {
        SessionRecorder r = store().open(meta(false), e -> { });
        String id = onlyId();
        RecordingInfo live = store().find(id).orElseThrow();
        assertEquals(new RecordingInfo(id, "s-1", "alice", "rtr-bru-01", "admin",
                Instant.parse("2026-11-27T17:35:01.250Z"), null, "recording"), live);
        write(r, "abc", false);
        r.close(3, "target closed the channel");

        RecordingInfo done = store().list().get(0);
        assertEquals("closed", done.status());
        assertTrue(done.end().isAfter(Instant.now().minus(1, ChronoUnit.MINUTES)));
        JsonNode meta = Cast.JSON.readTree(data.resolve("recordings").resolve(id + ".meta.json").toFile());
        Set<String> keys = new TreeSet<>();
        meta.fieldNames().forEachRemaining(keys::add);
        // No session content (the exec command line is content): the summary stays in the clear.
        assertEquals(new TreeSet<>(List.of("id", "sessionId", "user", "target", "account", "channel",
                "start", "end", "status", "exitStatus", "endReason", "recordInput", "bytesIn", "bytesOut")), keys);
        assertEquals("shell", meta.get("channel").asText());
        assertEquals(3, meta.get("exitStatus").asInt());
        assertEquals("target closed the channel", meta.get("endReason").asText());
        assertEquals(3, meta.get("bytesOut").asLong());
        assertEquals("2026-11-27T17:35:01.250Z", meta.get("start").asText());
    }

    @Test
    void listIsSortedByStart() throws Exception {
        List<String> users = List.of("u3", "u1", "u2");
        List<Instant> starts = List.of(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-02-01T00:00:00Z"));
        for (int i = 0; i < 3; i++) {
            store().open(new RecordingMetadata("s", users.get(i), "t", "a", "exec", "id", 0, 0, null, starts.get(i),
                    false), e -> { }).close(0, "exit");
        }
        assertEquals(List.of("u1", "u2", "u3"), store().list().stream().map(RecordingInfo::user).toList());
        assertTrue(store().list().get(0).id().startsWith("20260101T000000Z-"));
    }

    @Test
    void idsAreCheckedBeforeTouchingTheDisk() {
        assertTrue(store().find("../../etc/passwd").isEmpty());
        assertTrue(store().find("20260101T000000Z-00000000").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> store().castFile("../x"));
        assertTrue(RecordingId.isValid(RecordingId.next(Instant.now())));
    }

    @Test
    void unreadableMetadataIsReportedByFind() throws Exception {
        store().open(meta(false), e -> { }).close(0, "exit");
        String id = onlyId();
        Files.writeString(data.resolve("recordings").resolve(id + ".meta.json"), "{oops");
        assertThrows(UncheckedIOException.class, () -> store().find(id));
        assertEquals(List.of(), store().list());
    }

    @Test
    void filesAreOwnerOnly() throws Exception {
        SessionRecorder r = store().open(meta(false), e -> { });
        r.event("scp.upload", Map.of("path", "/x"));
        r.close(0, "exit");
        Path dir = data.resolve("recordings");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (var files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertEquals(4, all.size(), all.toString()); // cast, chain, meta, events
            for (Path f : all) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsThrow() throws Exception {
        SessionRecorder r = store().open(meta(false), e -> { });
        r.close(0, "exit");
        r.close(1, "again");
        RecorderException e = assertThrows(RecorderException.class, () -> write(r, "late", false));
        assertTrue(e.getMessage().contains("already closed"), e.getMessage());
        JsonNode meta = Cast.JSON.readTree(data.resolve("recordings").resolve(onlyId() + ".meta.json").toFile());
        assertEquals(0, meta.get("exitStatus").asInt(), "the first close wins");
    }

    @Test
    void closingTheStoreClosesOpenRecordings() throws Exception {
        SessionRecorder r = store().open(meta(false), e -> { });
        write(r, "pending output", false);
        String id = onlyId();
        store().close();
        JsonNode meta = Cast.JSON.readTree(data.resolve("recordings").resolve(id + ".meta.json").toFile());
        assertEquals("closed", meta.get("status").asText());
        assertEquals("gateway shutdown", meta.get("endReason").asText());
        assertEquals("pending output", Cast.parse(store().castFile(id)).text("o"));
        assertThrows(RecorderException.class, () -> store().open(meta(false), e -> { }));
        assertThrows(RecorderException.class, () -> write(r, "late", false));
    }

    @Test
    void concurrentRecordingsKeepTheirOwnData() throws Exception {
        int sessions = 16;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int s = 0; s < sessions; s++) {
            String name = "user" + s;
            threads.add(new Thread(() -> {
                try {
                    SessionRecorder r = store().open(new RecordingMetadata("s", name, "t", "a", "shell", null, 80, 24,
                            "xterm", Instant.now(), true), e -> errors.add(e));
                    for (int i = 0; i < 500; i++) {
                        write(r, name + ":" + i + "\n", i % 2 == 0);
                    }
                    r.close(0, "exit");
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
        List<RecordingInfo> all = store().list();
        assertEquals(sessions, all.size());
        for (RecordingInfo info : all) {
            Cast cast = Cast.parse(store().castFile(info.id()));
            StringBuilder out = new StringBuilder();
            StringBuilder in = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                (i % 2 == 0 ? in : out).append(info.user()).append(':').append(i).append('\n');
            }
            assertEquals(out.toString(), cast.text("o"), info.user());
            assertEquals(in.toString(), cast.text("i"), info.user());
            assertEquals("closed", info.status());
        }
    }

    @Test
    void storeRefusesToOpenWhenTheDirectoryIsReplacedByAFile() throws Exception {
        Path dir = data.resolve("recordings");
        store();
        Files.delete(dir);
        Files.writeString(dir, "not a directory");
        RecorderException e = assertThrows(RecorderException.class, () -> store().open(meta(false), x -> { }));
        assertTrue(e.getMessage().startsWith("cannot start a recording in"), e.getMessage());
    }

    @Test
    void recordingLeftOpenByACrashIsMarkedInterruptedOnRestartWithItsDataKept() throws Exception {
        SessionRecorder r = store().open(meta(false), e -> { });
        write(r, "before the crash\r\n", false);
        Thread.sleep(600);
        // No close: the process "dies" here. A new store over the same directory is the restart.
        String id = store().list().get(0).id();
        try (RecordingStore restarted = new RecordingStore(data.resolve("recordings"))) {
            List<RecordingInfo> marked = restarted.markInterrupted();
            assertEquals(List.of(id), marked.stream().map(RecordingInfo::id).toList());
            assertEquals("interrupted", restarted.find(id).orElseThrow().status());
            assertNotNull(restarted.find(id).orElseThrow().end());
            assertTrue(Files.readString(restarted.castFile(id)).contains("before the crash"));
            assertTrue(restarted.markInterrupted().isEmpty(), "marking is done once");
        }
    }
}
