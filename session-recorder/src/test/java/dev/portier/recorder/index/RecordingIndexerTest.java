package dev.portier.recorder.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.recorder.RecordingMetadata;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.SessionRecorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingIndexerTest {
    private static final Map<String, Map<String, String>> LABELS = Map.of("srv-1", Map.of("kind", "server"));

    @TempDir
    Path data;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private RecordingStore store() {
        RecordingStore s = new RecordingStore(data.resolve("recordings"));
        open.add(s);
        return s;
    }

    private RecordingIndexer indexer(RecordingStore store) throws Exception {
        RecordingIndexer indexer = new RecordingIndexer(store,
                LuceneRecordingIndex.open(data.resolve("index"), LuceneRecordingIndexTest.KEY),
                t -> LABELS.getOrDefault(t, Map.of()));
        open.add(indexer);
        return indexer;
    }

    private static SessionRecorder session(RecordingStore store, String user, String channel, String command)
            throws Exception {
        return store.open(new RecordingMetadata("s-" + user, user, "srv-1", "root", channel, command, 80, 24, "xterm",
                Instant.now(), true), e -> { });
    }

    private static void out(SessionRecorder r, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        r.output(b, 0, b.length);
    }

    private static void in(SessionRecorder r, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        r.input(b, 0, b.length);
    }

    private static List<String> grep(RecordingIndexer indexer, String text) throws Exception {
        return indexer.search(new SearchQuery(text, null, null, null, Map.of(), null, 50)).hits().stream()
                .map(h -> h.user() + ":" + h.kind().key() + ":" + h.line()).toList();
    }

    private static void awaitIdle(RecordingIndexer indexer) throws InterruptedException {
        for (int i = 0; i < 200 && indexer.backlog() > 0; i++) {
            Thread.sleep(25);
        }
        assertEquals(0, indexer.backlog(), "the indexer did not finish");
    }

    @Test
    void aRecordingIsSearchableOnceItCloses() throws Exception {
        RecordingStore store = store();
        RecordingIndexer indexer = indexer(store);
        store.onClosed(indexer::indexLater);
        SessionRecorder r = session(store, "alice", "shell", null);
        out(r, "$ ");
        in(r, "cat /etc/motd\r");
        out(r, "cat /etc/motd\r\nWelcome to srv-1\r\n$ ");
        assertEquals(List.of(), grep(indexer, "motd"), "nothing before the close");
        r.close(0, "exit");
        awaitIdle(indexer);
        assertEquals(List.of("alice:command:cat /etc/motd", "alice:output:$ cat /etc/motd"), grep(indexer, "motd"));
        assertEquals(List.of("alice:output:Welcome to srv-1"), grep(indexer, "welcome"));
    }

    @Test
    void theCommandOfAnExecChannelIsSearchable() throws Exception {
        RecordingStore store = store();
        SessionRecorder r = session(store, "bob", "exec", "journalctl -u sshd --since today");
        out(r, "-- No entries --\n");
        r.close(0, "exit");
        RecordingIndexer indexer = indexer(store);
        indexer.catchUp(m -> { });
        assertEquals(List.of("bob:command:journalctl -u sshd --since today"), grep(indexer, "journalctl"));
    }

    @Test
    void catchUpIndexesClosedAndInterruptedRecordingsAndReportsProgress() throws Exception {
        RecordingStore first = store();
        SessionRecorder closed = session(first, "alice", "shell", null);
        out(closed, "closed-session-marker\r\n");
        closed.close(0, "exit");
        SessionRecorder crashed = session(first, "bob", "shell", null);
        out(crashed, "interrupted-session-marker\r\n");
        Thread.sleep(600); // flushed to disk, never closed: the process "dies" here
        RecordingStore restarted = store();
        assertEquals(1, restarted.markInterrupted().size());
        RecordingIndexer indexer = indexer(restarted);
        List<String> progress = new ArrayList<>();
        RecordingIndexer.CatchUp done = indexer.catchUp(progress::add);
        assertEquals(new RecordingIndexer.CatchUp(2, 0, 0), done);
        assertEquals(List.of("alice:output:closed-session-marker"), grep(indexer, "closed-session"));
        assertEquals(List.of("bob:output:interrupted-session-marker"), grep(indexer, "interrupted-session"));
        assertTrue(progress.get(0).contains("2 recording(s) to index"), progress.toString());
        assertTrue(progress.get(progress.size() - 1).contains("2 recording(s) indexed"), progress.toString());
        assertEquals(new RecordingIndexer.CatchUp(0, 0, 0), indexer.catchUp(m -> { }), "nothing left to do");
    }

    @Test
    void aRecordingThatCannotBeReadIsSkippedAndRetriedNextTime() throws Exception {
        RecordingStore store = store();
        SessionRecorder good = session(store, "alice", "shell", null);
        out(good, "readable line\r\n");
        good.close(0, "exit");
        SessionRecorder bad = session(store, "bob", "shell", null);
        out(bad, "soon garbage\r\n");
        bad.close(0, "exit");
        String badId = store.list().stream().filter(r -> r.user().equals("bob")).findFirst().orElseThrow().id();
        byte[] original = Files.readAllBytes(store.castFile(badId));
        Files.writeString(store.castFile(badId), "this is not asciicast\n");
        RecordingIndexer indexer = indexer(store);
        assertEquals(new RecordingIndexer.CatchUp(1, 1, 0), indexer.catchUp(m -> { }));
        assertEquals(List.of("alice:output:readable line"), grep(indexer, "readable"));
        Files.write(store.castFile(badId), original);
        assertEquals(new RecordingIndexer.CatchUp(1, 0, 0), indexer.catchUp(m -> { }));
        assertEquals(List.of("bob:output:soon garbage"), grep(indexer, "garbage"));
    }

    @Test
    void recordingsNoLongerStoredAreDropped() throws Exception {
        RecordingStore store = store();
        SessionRecorder r = session(store, "alice", "shell", null);
        out(r, "short-lived\r\n");
        r.close(0, "exit");
        RecordingIndexer indexer = indexer(store);
        indexer.catchUp(m -> { });
        String id = store.list().get(0).id();
        try (var files = Files.list(data.resolve("recordings"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(id)).toList()) {
                Files.delete(p);
            }
        }
        assertEquals(new RecordingIndexer.CatchUp(0, 0, 1), indexer.catchUp(m -> { }));
        assertEquals(List.of(), grep(indexer, "short-lived"));
    }

    @Test
    void theTargetsLabelsAreIndexed() throws Exception {
        RecordingStore store = store();
        SessionRecorder r = session(store, "alice", "shell", null);
        out(r, "labelled output\r\n");
        r.close(0, "exit");
        RecordingIndexer indexer = indexer(store);
        indexer.catchUp(m -> { });
        assertEquals(1, indexer.search(new SearchQuery("labelled", null, null, null, Map.of("kind", "server"), null, 5))
                .hits().size());
        assertEquals(0, indexer.search(new SearchQuery("labelled", null, null, null, Map.of("kind", "router"), null, 5))
                .hits().size());
    }
}
