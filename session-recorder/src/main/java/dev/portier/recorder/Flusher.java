package dev.portier.recorder;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background threads of a store, shared by all its recordings (1,000 sessions must not cost 1,000
 * threads). The writer moves buffers to the files once per interval, and early when a recording reports
 * a large buffer. After each interval's pass, the syncer forces the written data to disk. Syncing has its
 * own thread because {@code force} of bulk output takes tens of milliseconds, during which a single
 * thread could not write, and a fast session would run its buffer full on a healthy disk.
 */
final class Flusher {
    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

    private final Set<BufferedRecorder> recorders = ConcurrentHashMap.newKeySet();
    private final long intervalNanos;
    private final Semaphore writeWakeup = new Semaphore(0);
    private final AtomicBoolean writeRequested = new AtomicBoolean();
    private final Semaphore syncWakeup = new Semaphore(0);
    private final Thread writer;
    private final Thread syncer;
    private volatile boolean running = true;

    Flusher(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.writer = daemon("portier-recording-writer", this::writeLoop);
        this.syncer = daemon("portier-recording-sync", this::syncLoop);
    }

    void register(BufferedRecorder recorder) {
        recorders.add(recorder);
    }

    void unregister(BufferedRecorder recorder) {
        recorders.remove(recorder);
    }

    /** Asks for a write pass soon; cheap and non-blocking, so I/O threads may call it. */
    void wake() {
        if (writeRequested.compareAndSet(false, true)) {
            writeWakeup.release();
        }
    }

    /** Stops both threads; recorders still registered must be closed by their owner. */
    void stop() {
        running = false;
        writeWakeup.release();
        syncWakeup.release();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
            syncer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        long nextTick = System.nanoTime() + intervalNanos;
        while (running) {
            long wait = nextTick - System.nanoTime();
            if (wait > 0) {
                await(writeWakeup, wait);
                writeRequested.set(false);
            }
            forEach(BufferedRecorder::write);
            if (System.nanoTime() - nextTick >= 0) {
                nextTick = System.nanoTime() + intervalNanos;
                syncWakeup.release();
            }
        }
    }

    private void syncLoop() {
        while (running) {
            await(syncWakeup, Long.MAX_VALUE);
            forEach(BufferedRecorder::sync);
        }
    }

    private void forEach(Consumer<BufferedRecorder> action) {
        for (BufferedRecorder recorder : recorders) {
            action.accept(recorder);
        }
    }

    private void await(Semaphore wakeup, long nanos) {
        try {
            wakeup.tryAcquire(nanos, TimeUnit.NANOSECONDS);
            wakeup.drainPermits();
        } catch (InterruptedException e) {
            // Recordings depend on these threads; only stop() ends them.
            LOG.warn("{} interrupted; it keeps running until the store is closed", Thread.currentThread().getName());
        }
    }

    private static Thread daemon(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
