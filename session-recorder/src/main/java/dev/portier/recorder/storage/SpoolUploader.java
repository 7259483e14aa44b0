package dev.portier.recorder.storage;

import dev.portier.recorder.RecordingInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's one background thread: uploads closed recordings, retrying each with exponential backoff (1 s,
 * doubling, up to {@code retryMax}, with jitter) while the store is down, and drops confirmed local copies when
 * due. Recordings are queued when they close and by a scan of the directory at start and every ten minutes
 * (which also picks up what a restart left behind). When the store cannot be reached at all, the rest of a pass
 * waits for the next one rather than failing one by one. Only the first failure of each recording is reported.
 */
final class SpoolUploader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolUploader.class);
    private static final long RETRY_MIN_MILLIS = 1_000;
    private static final long RESCAN_MILLIS = 10 * 60_000;

    /** Failed tries of one recording; on the uploader thread only. */
    private record Attempts(int count, long nextMillis) {
    }

    private final SpooledStorage storage;
    private final Catalog catalog;
    private final UploadListener listener;
    private final long retryMaxMillis;
    private final Set<String> pending = new ConcurrentSkipListSet<>();
    private final Map<String, Attempts> failing = new HashMap<>();
    private final Thread thread;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopped;
    /** Set by the last failed {@link #tryUpload}: the store did not answer, so the pass stops there. */
    private boolean lastFailureUnreachable;
    private long nextScanMillis;

    SpoolUploader(SpooledStorage storage, Catalog catalog, UploadListener listener, Duration retryMax) {
        this.storage = storage;
        this.catalog = catalog;
        this.listener = listener;
        this.retryMaxMillis = Math.max(RETRY_MIN_MILLIS, retryMax.toMillis());
        this.thread = new Thread(this, "portier-spool-uploader");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void wake(String id) {
        pending.add(id);
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Stops after the current request (the SDK's timeouts bound it); what is left is uploaded after a restart. */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                long now = System.currentTimeMillis();
                if (now >= nextScanMillis) {
                    scan();
                    nextScanMillis = now + RESCAN_MILLIS;
                }
                long next = Math.min(pass(), nextScanMillis);
                await(next - System.currentTimeMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("the recording uploader hit an unexpected error; it goes on", e);
                sleepQuietly();
            }
        }
    }

    /** Queues every closed recording without a receipt, and drops local copies that are due. */
    private void scan() {
        List<RecordingInfo> all;
        try {
            all = catalog.list();
        } catch (IOException e) {
            LOG.warn("cannot list the recordings to upload: {}", e.toString());
            return;
        }
        for (RecordingInfo r : all) {
            if (Catalog.OPEN.equals(r.status())) {
                continue;
            }
            if (!storage.uploaded(r.id())) {
                pending.add(r.id());
                continue;
            }
            evict(r.id());
        }
    }

    /** One round over the queue; returns when the next try is due. */
    private long pass() {
        long next = Long.MAX_VALUE;
        for (String id : new TreeSet<>(pending)) {
            if (stopped) {
                break;
            }
            Attempts a = failing.get(id);
            long now = System.currentTimeMillis();
            if (a != null && a.nextMillis() > now) {
                next = Math.min(next, a.nextMillis());
                continue;
            }
            Optional<RecordingInfo> info = find(id);
            if (info.isEmpty() || Catalog.OPEN.equals(info.get().status())) {
                pending.remove(id); // gone, or queued again when it closes
                failing.remove(id);
                continue;
            }
            if (!tryUpload(info.get(), a)) {
                next = Math.min(next, failing.get(id).nextMillis());
                if (lastFailureUnreachable) {
                    break;
                }
            }
        }
        return next;
    }

    private boolean tryUpload(RecordingInfo r, Attempts before) {
        lastFailureUnreachable = false;
        try {
            UploadReceipt receipt = storage.upload(r.id());
            pending.remove(r.id());
            failing.remove(r.id());
            int attempts = before == null ? 1 : before.count() + 1;
            LOG.info("recording {} uploaded to {} ({} files, {} bytes, attempt {})", r.id(), receipt.location(),
                    receipt.files().size(), receipt.bytes(), attempts);
            evict(r.id());
            listener.uploaded(r, receipt, attempts);
            return true;
        } catch (IOException | RuntimeException e) {
            if (stopped) {
                return true;
            }
            int count = before == null ? 1 : before.count() + 1;
            long wait = backoff(count);
            Attempts a = new Attempts(count, System.currentTimeMillis() + wait);
            failing.put(r.id(), a);
            lastFailureUnreachable = e instanceof ObjectStoreException ose && ose.unreachable();
            String error = e.getMessage() != null ? e.getMessage() : e.toString();
            if (count == 1) {
                LOG.warn("recording {} of session {} is not uploaded yet, it stays in the spool: {}", r.id(),
                        r.sessionId(), error);
                listener.uploadFailed(r, storage.location(), error, Instant.ofEpochMilli(a.nextMillis()));
            } else {
                LOG.debug("recording {}: upload attempt {} failed: {}", r.id(), count, error);
            }
            return false;
        }
    }

    /** A local copy that cannot be dropped now is dropped by a later scan; the upload itself stands. */
    private void evict(String id) {
        try {
            storage.evictIfDue(id, Instant.now());
        } catch (IOException e) {
            LOG.warn("recording {}: cannot drop its uploaded local copy: {}", id, e.toString());
        }
    }

    private long backoff(int count) {
        long base = RETRY_MIN_MILLIS << Math.min(count - 1, 30);
        long capped = Math.min(base, retryMaxMillis);
        return capped - ThreadLocalRandom.current().nextLong(capped / 5 + 1);
    }

    private Optional<RecordingInfo> find(String id) {
        try {
            return catalog.find(id);
        } catch (RuntimeException e) {
            LOG.warn("recording {}: cannot read its metadata: {}", id, e.toString());
            return Optional.empty();
        }
    }

    private void await(long millis) throws InterruptedException {
        synchronized (signal) {
            if (!woken && millis > 0) {
                signal.wait(millis);
            }
            woken = false;
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(RETRY_MIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }
}
