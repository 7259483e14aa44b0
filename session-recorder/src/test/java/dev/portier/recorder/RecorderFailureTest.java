package dev.portier.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fail closed: when a recording cannot be written, its owner learns it and the recorder refuses further use. */
class RecorderFailureTest {
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

    private RecordingStore store(RecorderSettings settings) {
        store = new RecordingStore(data.resolve("recordings"), settings, file -> {
            FileChannel ch = RecordingFiles.createNew(file);
            channels.add(ch);
            return ch;
        });
        return store;
    }

    @Test
    void fileClosedUnderneathFailsTheRecordingOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch failed = new CountDownLatch(1);
        List<RecorderException> reported = new CopyOnWriteArrayList<>();
        SessionRecorder r = store(RecorderSettings.DEFAULTS).open(RecordingStoreTest.meta(false), e -> {
            calls.incrementAndGet();
            reported.add(e);
            failed.countDown();
        });
        channels.get(0).close();
        RecordingStoreTest.write(r, "output nobody can store", false);
        assertTrue(failed.await(2, TimeUnit.SECONDS), "the failure handler is called");
        assertTrue(reported.get(0).getMessage().startsWith("recording failed: "), reported.get(0).getMessage());

        RecorderException later = assertThrows(RecorderException.class,
                () -> RecordingStoreTest.write(r, "more", false));
        assertTrue(later.getMessage().startsWith("recording failed: "), later.getMessage());
        assertThrows(RecorderException.class, () -> r.resize(80, 24));
        assertThrows(RecorderException.class, () -> r.event("sftp.open", java.util.Map.of()));
        assertThrows(RecorderException.class, () -> RecordingStoreTest.write(r, "typed", true));

        r.close(null, "recording failed");
        Thread.sleep(300);
        assertEquals(1, calls.get(), "the handler is called once");
        String id = store.list().get(0).id();
        assertEquals("failed", store.find(id).orElseThrow().status());
    }

    @Test
    void fullBufferFailsClosedOnTheCallingThread() throws Exception {
        RecorderSettings stuckDisk = new RecorderSettings(Duration.ofHours(1), Duration.ofMillis(10), 1 << 20, 2048, 4096);
        AtomicInteger calls = new AtomicInteger();
        SessionRecorder r = store(stuckDisk).open(RecordingStoreTest.meta(false), e -> calls.incrementAndGet());
        String chunk = "x".repeat(1000);
        RecorderException full = assertThrows(RecorderException.class, () -> {
            for (int i = 0; i < 10; i++) {
                RecordingStoreTest.write(r, chunk, false);
            }
        });
        assertTrue(full.getMessage().contains("buffer full"), full.getMessage());
        RecorderException later = assertThrows(RecorderException.class, () -> r.resize(1, 1));
        assertTrue(later.getMessage().startsWith("recording failed: "), later.getMessage());
        assertEquals(0, calls.get(), "the caller got the exception; no asynchronous report needed");
        r.close(null, "recording failed");
        JsonNode meta = Cast.JSON.readTree(data.resolve("recordings")
                .resolve(store.list().get(0).id() + ".meta.json").toFile());
        assertEquals("failed", meta.get("status").asText());
    }

    @Test
    void throwingFailureHandlerDoesNotStopTheFlusher() throws Exception {
        RecordingStore s = store(RecorderSettings.DEFAULTS);
        SessionRecorder broken = s.open(RecordingStoreTest.meta(false), e -> {
            throw new IllegalStateException("handler bug");
        });
        SessionRecorder healthy = s.open(RecordingStoreTest.meta(false), e -> { });
        channels.get(0).close();
        RecordingStoreTest.write(broken, "lost", false);
        RecordingStoreTest.write(healthy, "kept", false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        boolean brokenFailed = false;
        while (!brokenFailed && System.nanoTime() < deadline) {
            try {
                broken.resize(1, 1);
                Thread.sleep(20);
            } catch (RecorderException e) {
                brokenFailed = true;
            }
        }
        assertTrue(brokenFailed);
        RecordingStoreTest.write(healthy, " and more", false);
        healthy.close(0, "exit");
        String healthyId = s.list().stream().filter(i -> i.status().equals("closed")).findFirst().orElseThrow().id();
        assertEquals("kept and more", Cast.parse(s.castFile(healthyId)).text("o"));
    }

    @Test
    void closeDoesNotHangBehindAStalledDisk() throws Exception {
        List<StallingFileChannel> stalling = new CopyOnWriteArrayList<>();
        store = new RecordingStore(data.resolve("recordings"), RecorderSettings.DEFAULTS, file -> {
            StallingFileChannel ch = new StallingFileChannel(RecordingFiles.createNew(file));
            stalling.add(ch);
            return ch;
        });
        CountDownLatch failed = new CountDownLatch(1);
        SessionRecorder r = store.open(RecordingStoreTest.meta(false), e -> failed.countDown());
        StallingFileChannel cast = stalling.get(0);
        cast.stall();
        RecordingStoreTest.write(r, "stuck in the writer\r\n", false);
        assertTrue(cast.stalled.await(2, TimeUnit.SECONDS), "the writer thread is stuck in write()");

        long start = System.nanoTime();
        r.close(0, "exit");
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited < 4_000, "close gave up after its bound, not never: " + waited + " ms");
        assertTrue(failed.await(1, TimeUnit.SECONDS), "the owner is told the recording failed");

        cast.release(); // the disk answers again: the writer thread finishes the files
        String id = store.list().get(0).id();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!"failed".equals(store.find(id).orElseThrow().status()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("failed", store.find(id).orElseThrow().status());
        assertTrue(!cast.isOpen(), "the files are closed in the end");
    }
}
