package dev.portier.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bridge that waits for {@link SessionRecorder#whenWritable} is slowed down, never failed, by a slow writer. */
class BackPressureTest {
    /** Small sizes, so that a test producer easily outruns the writer thread. */
    private static final RecorderSettings SMALL =
            new RecorderSettings(Duration.ofMillis(250), Duration.ofMillis(10), 4096, 16 * 1024, 64 * 1024);

    @TempDir
    Path data;
    private final List<FileChannel> channels = new CopyOnWriteArrayList<>();
    private RecordingStore store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private RecordingStore store() {
        if (store == null) {
            store = new RecordingStore(data.resolve("recordings"), SMALL, file -> {
                FileChannel ch = RecordingFiles.createNew(file);
                channels.add(ch);
                return ch;
            });
        }
        return store;
    }

    private static void awaitWritable(SessionRecorder r) throws InterruptedException {
        CountDownLatch writable = new CountDownLatch(1);
        r.whenWritable(writable::countDown);
        assertTrue(writable.await(5, TimeUnit.SECONDS), "resumed");
    }

    @Test
    void bridgeThatWaitsForRoomNeverRunsTheBufferFull() throws Exception {
        SessionRecorder r = store().open(RecordingStoreTest.meta(false), e -> { });
        byte[] chunk = "0123456789abcdef\r\n".repeat(455).getBytes(StandardCharsets.UTF_8); // ~8 KiB
        for (int i = 0; i < 2000; i++) { // 16 MiB through a 64 KiB buffer
            r.output(chunk, 0, chunk.length);
            awaitWritable(r);
        }
        r.close(0, "exit");
        String id = store().list().get(0).id();
        assertEquals("closed", store().find(id).orElseThrow().status());
        assertEquals(2000L * chunk.length, Cast.parse(store().castFile(id)).text("o").length());
    }

    @Test
    void whenWritableRunsAtOnceWhenThereIsRoom() throws Exception {
        SessionRecorder r = store().open(RecordingStoreTest.meta(false), e -> { });
        AtomicBoolean ran = new AtomicBoolean();
        Thread caller = Thread.currentThread();
        r.whenWritable(() -> ran.set(Thread.currentThread() == caller));
        assertTrue(ran.get(), "run on the caller's thread, before whenWritable returns");
        r.close(0, "exit");
    }

    @Test
    void waitingBridgeIsResumedWhenTheRecordingFails() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        SessionRecorder r = store().open(RecordingStoreTest.meta(false), e -> failed.countDown());
        channels.get(0).close();
        byte[] chunk = new byte[20 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        r.output(chunk, 0, chunk.length); // above the backlog mark: whenWritable has to wait
        CountDownLatch resumed = new CountDownLatch(1);
        r.whenWritable(resumed::countDown);
        assertTrue(resumed.await(5, TimeUnit.SECONDS), "not left waiting on a dead recording");
        assertTrue(failed.await(5, TimeUnit.SECONDS));
        assertThrows(RecorderException.class, () -> r.output(chunk, 0, 1));
    }

    @Test
    void bridgeWaitsWhileTheWriterIsStuckAndGoesOnWhenItGetsThrough() throws Exception {
        List<StallingFileChannel> stalling = new CopyOnWriteArrayList<>();
        store = new RecordingStore(data.resolve("recordings"), SMALL, file -> {
            StallingFileChannel ch = new StallingFileChannel(RecordingFiles.createNew(file));
            stalling.add(ch);
            return ch;
        });
        SessionRecorder r = store.open(RecordingStoreTest.meta(false), e -> { });
        stalling.get(0).stall();
        byte[] chunk = new byte[20 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'y');
        r.output(chunk, 0, chunk.length); // above the flush threshold: wakes the writer, which hangs
        assertTrue(stalling.get(0).stalled.await(2, TimeUnit.SECONDS));
        CountDownLatch resumed = new CountDownLatch(1);
        r.whenWritable(resumed::countDown);
        assertFalse(resumed.await(300, TimeUnit.MILLISECONDS), "waits while the writer is stuck");
        stalling.get(0).release();
        assertTrue(resumed.await(2, TimeUnit.SECONDS), "goes on once the data is written");
        r.close(0, "exit");
        assertEquals(chunk.length, Cast.parse(store.castFile(store.list().get(0).id())).text("o").length());
    }
}
