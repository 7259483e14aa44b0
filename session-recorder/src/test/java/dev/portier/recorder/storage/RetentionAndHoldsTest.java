package dev.portier.recorder.storage;

import static dev.portier.recorder.storage.S3Fixture.await;
import static dev.portier.recorder.storage.S3Fixture.key;
import static dev.portier.recorder.storage.S3Fixture.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention deletes expired recordings everywhere, never held ones; holds live in the object store too. */
class RetentionAndHoldsTest {
    private static final Duration KEEP = Duration.ofDays(400);

    @TempDir
    Path tmp;
    private S3Fixture f;
    private RecordingStore store;
    private final List<String> deletions = new ArrayList<>();

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        if (f != null) {
            f.close();
        }
    }

    private RecordingStore spooled() throws Exception {
        f = new S3Fixture(tmp.resolve("s3"));
        store = f.store(tmp.resolve("recordings"), Duration.ZERO);
        return store;
    }

    private RetentionSweeper sweeper() {
        return new RetentionSweeper(store, store.storage(), r -> Optional.of(KEEP), new RetentionSweeper.Listener() {
            @Override
            public void deleted(RecordingInfo r, Duration retention, Instant expired, String location) {
                deletions.add(r.id() + " " + location);
            }

            @Override
            public void failed(RecordingInfo r, String error) {
                deletions.add("failed " + r.id());
            }
        });
    }

    private static Hold hold(String id) {
        return new Hold(id, "case 2026-114 (litigation)", "carol", Instant.now());
    }

    private List<String> objectsOf(String id) {
        return f.keys().stream().filter(k -> k.contains(id)).toList();
    }

    @Test
    void retentionDeletesAnExpiredRecordingEverywhereButNeverAHeldOne() throws Exception {
        spooled();
        String expired = record(store, "old session\r\n");
        String held = record(store, "evidence in a case\r\n");
        await("both uploaded", 20, () -> f.uploaded.containsAll(List.of(expired, held)));
        assertTrue(store.storage().holds().place(hold(held)));

        Instant later = Instant.now().plus(KEEP).plus(Duration.ofDays(1));
        assertEquals(List.of(), sweeper().sweep(Instant.now()), "nothing has expired yet");
        List<RecordingInfo> deleted = sweeper().sweep(later);

        assertEquals(List.of(expired), deleted.stream().map(RecordingInfo::id).toList());
        assertEquals(List.of(expired + " " + f.settings().location()), deletions);
        assertEquals(List.of(), objectsOf(expired), "gone from the object store");
        assertEquals(List.of(), LocalFiles.filesOf(tmp.resolve("recordings"), expired), "gone locally, metadata too");
        assertEquals(Optional.empty(), store.find(expired));
        assertEquals(3, objectsOf(held).size() - 1, "the held recording's objects and its hold stay: " + objectsOf(held));
        assertTrue(store.find(held).isPresent());
    }

    @Test
    void aReleasedRecordingIsDeletedByTheNextSweep() throws Exception {
        spooled();
        String id = record(store, "released later\r\n");
        await("uploaded", 20, () -> f.uploaded.contains(id));
        store.storage().holds().place(hold(id));
        Instant later = Instant.now().plus(KEEP).plus(Duration.ofDays(1));
        assertEquals(List.of(), sweeper().sweep(later));
        assertEquals("case 2026-114 (litigation)", store.storage().holds().release(id).orElseThrow().reason());
        assertEquals(List.of(id), sweeper().sweep(later).stream().map(RecordingInfo::id).toList());
    }

    @Test
    void aHoldIsKeptInTheStoreSoItSurvivesTheLossOfTheLocalCopy() throws Exception {
        spooled();
        String id = record(store, "held\r\n");
        store.storage().holds().place(hold(id));
        assertTrue(f.keys().contains(key("holds/" + id + ".json")), f.keys().toString());
        Files.delete(tmp.resolve("recordings").resolve("holds").resolve(id + ".json"));
        assertTrue(store.storage().holds().isHeld(id));
        assertEquals(List.of(), sweeper().sweep(Instant.now().plus(KEEP).plus(Duration.ofDays(1))));
        assertFalse(store.storage().holds().place(hold(id)), "already held");
    }

    @Test
    void withTheStoreDownNothingIsDeletedAndNoHoldChanges() throws Exception {
        spooled();
        String id = record(store, "store down\r\n");
        await("uploaded", 20, () -> f.uploaded.contains(id));
        f.s3.stop();
        assertThrows(IOException.class, () -> sweeper().sweep(Instant.now().plus(KEEP).plus(Duration.ofDays(1))));
        assertThrows(IOException.class, () -> store.storage().holds().place(hold(id)));
        assertEquals(Optional.empty(), store.storage().holds().get(id), "no half-placed hold");
        assertTrue(store.find(id).isPresent());
        assertTrue(deletions.isEmpty(), deletions.toString());
    }

    @Test
    void aRecordingStillOpenIsNeverDeleted() throws Exception {
        spooled();
        var open = store.open(new dev.portier.recorder.RecordingMetadata("s-open", "alice", "rtr-bru-01", "admin",
                "shell", null, 80, 24, "xterm", Instant.now().minus(Duration.ofDays(900)), false), e -> { });
        assertEquals(List.of(), sweeper().sweep(Instant.now().plus(KEEP).plus(Duration.ofDays(1))));
        open.close(0, "exit");
    }

    @Test
    void localStorageHasRetentionAndHoldsToo() throws Exception {
        store = new RecordingStore(tmp.resolve("recordings"));
        String expired = record(store, "local old\r\n");
        String held = record(store, "local held\r\n");
        store.storage().holds().place(hold(held));
        List<RecordingInfo> deleted = sweeper().sweep(Instant.now().plus(KEEP).plus(Duration.ofDays(1)));
        assertEquals(List.of(expired), deleted.stream().map(RecordingInfo::id).toList());
        assertEquals(List.of(expired + " local"), deletions);
        assertEquals(List.of(held), store.list().stream().map(RecordingInfo::id).toList());
        assertEquals(RecordingStorage.Location.LOCAL, store.storage().locate(held));
    }

    @Test
    void aHoldFileThatCannotBeReadStillHolds() throws Exception {
        store = new RecordingStore(tmp.resolve("recordings"));
        String id = record(store, "garbled hold\r\n");
        store.storage().holds().place(hold(id));
        Files.writeString(tmp.resolve("recordings").resolve("holds").resolve(id + ".json"), "{not json");
        assertTrue(store.storage().holds().get(id).orElseThrow().reason().startsWith("(unreadable"));
        assertEquals(List.of(), sweeper().sweep(Instant.now().plus(KEEP).plus(Duration.ofDays(1))));
    }
}
