package dev.portier.recorder;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes all of a store's recordings: it syncs every recording with new data once per
 * interval, and writes (without syncing) whenever a recording reports a large buffer. One thread for
 * all sessions keeps 1,000 sessions from costing 1,000 threads; disk writes to the page cache are fast
 * enough for one thread to keep up with the network.
 */
final class Flusher {
    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

    private final Set<BufferedRecorder> recorders = ConcurrentHashMap.newKeySet();
    private final Semaphore wakeup = new Semaphore(0);
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean running = true;

    Flusher(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.thread = new Thread(this::run, "portier-recording-flusher");
        thread.setDaemon(true);
        thread.start();
    }

    void register(BufferedRecorder recorder) {
        recorders.add(recorder);
    }

    void unregister(BufferedRecorder recorder) {
        recorders.remove(recorder);
    }

    /** Asks for a write pass soon; cheap and non-blocking, so I/O threads may call it. */
    void wake() {
        if (wakeRequested.compareAndSet(false, true)) {
            wakeup.release();
        }
    }

    /** Stops after the current pass; recorders still registered must be closed by their owner. */
    void stop() {
        running = false;
        wakeup.release();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long nextSync = System.nanoTime() + intervalNanos;
        while (running) {
            long wait = nextSync - System.nanoTime();
            if (wait > 0) {
                try {
                    wakeup.tryAcquire(wait, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    // Recordings depend on this thread; only stop() ends it.
                    LOG.warn("recording flusher interrupted; it keeps running until the store is closed");
                }
                wakeup.drainPermits();
                wakeRequested.set(false);
            }
            boolean sync = System.nanoTime() - nextSync >= 0;
            for (BufferedRecorder recorder : recorders) {
                recorder.flush(sync);
            }
            if (sync) {
                nextSync = System.nanoTime() + intervalNanos;
            }
        }
    }
}
