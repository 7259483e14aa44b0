package dev.portier.recorder.index;

import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.events.RecordingEvents;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link RecordingIndex} in step with a {@link RecordingStore}: a recording is indexed when it closes
 * ({@link #indexLater}, wired to {@link RecordingStore#onClosed}), and {@link #catchUp} indexes every finished
 * recording the index lacks (interrupted ones included, after the store marked them) and drops entries of
 * recordings no longer stored. Recordings are read through {@link RecordingEvents} only. Indexing runs on one
 * daemon thread, never on a session's threads; a recording that cannot be read is logged and skipped (the next
 * catch-up tries again), and never holds up a session: the recording, not the index, is the evidence.
 */
public final class RecordingIndexer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingIndexer.class);
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int COMMIT_EVERY = 500;
    private static final long COMMIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What a catch-up did. */
    public record CatchUp(int indexed, int failed, int removed) {
    }

    private final RecordingStore store;
    private final RecordingIndex index;
    private final Function<String, Map<String, String>> labelsOfTarget;
    private final IndexLimits limits;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "portier-indexer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger backlog = new AtomicInteger();
    private volatile boolean closed;
    /** Indexer thread only. */
    private boolean uncommitted;
    /** Indexer thread only. */
    private long lastCommitNanos = System.nanoTime();

    /** @param labelsOfTarget a target's labels (empty for a target no longer configured) */
    public RecordingIndexer(RecordingStore store, RecordingIndex index,
            Function<String, Map<String, String>> labelsOfTarget) {
        this(store, index, labelsOfTarget, IndexLimits.DEFAULTS);
    }

    public RecordingIndexer(RecordingStore store, RecordingIndex index,
            Function<String, Map<String, String>> labelsOfTarget, IndexLimits limits) {
        this.store = Objects.requireNonNull(store);
        this.index = Objects.requireNonNull(index);
        this.labelsOfTarget = Objects.requireNonNull(labelsOfTarget);
        this.limits = Objects.requireNonNull(limits);
    }

    /** Queues a recording that has just closed; returns at once (safe on any thread, holding any lock). */
    public void indexLater(String recordingId) {
        submit(1, () -> {
            try {
                indexClosed(recordingId);
            } finally {
                backlog.decrementAndGet();
            }
        });
    }

    /**
     * Queues the removal of a recording that was deleted (retention): a recording that is no longer stored is taken
     * out of the index, so nothing deleted stays searchable.
     */
    public void deletedLater(String recordingId) {
        indexLater(recordingId);
    }

    /** Runs {@link #catchUp} on the indexer thread, logging its progress; for a gateway's start. */
    public void catchUpLater() {
        submit(0, () -> {
            try {
                catchUp(LOG::info);
            } catch (IOException | RuntimeException e) {
                LOG.error("search index: the catch-up failed; recordings not yet indexed are not searchable until"
                        + " the next start: {}", e.toString());
            }
        });
    }

    private void submit(int recordings, Runnable task) {
        if (closed) {
            return;
        }
        backlog.addAndGet(recordings);
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            backlog.addAndGet(-recordings);
        }
    }

    /** False when the index is another process's (a running gateway's), opened here for searching only. */
    public boolean writable() {
        return index.writable();
    }

    /** Recordings waiting to be indexed: while above zero, searches may miss some. */
    public int backlog() {
        return backlog.get();
    }

    /**
     * Indexes every finished recording the index lacks and drops entries of recordings the store no longer has,
     * committing as it goes. Call it on the indexer thread ({@link #catchUpLater}) or where nothing else indexes
     * (the CLI).
     *
     * @param progress told where it stands: at the start, every 10 s, and at the end
     */
    public CatchUp catchUp(Consumer<String> progress) throws IOException {
        long started = System.nanoTime();
        List<RecordingInfo> stored = store.list();
        Set<String> indexed = index.recordingIds();
        Set<String> present = new HashSet<>();
        List<RecordingInfo> missing = new java.util.ArrayList<>();
        for (RecordingInfo r : stored) {
            present.add(r.id());
            if (!indexed.contains(r.id()) && !"recording".equals(r.status())) {
                missing.add(r);
            }
        }
        int removed = 0;
        for (String id : indexed) {
            if (!present.contains(id)) {
                index.remove(id);
                removed++;
            }
        }
        if (missing.isEmpty()) {
            if (removed > 0) {
                commit();
            }
            progress.accept("search index: up to date (" + indexed.size() + " recordings"
                    + (removed > 0 ? ", " + removed + " no longer stored dropped" : "") + ")");
            return new CatchUp(0, 0, removed);
        }
        progress.accept("search index: " + missing.size() + " recording(s) to index" + (removed > 0 ? ", " + removed
                + " no longer stored dropped" : ""));
        backlog.addAndGet(missing.size());
        int done = 0;
        int failed = 0;
        long lastReport = System.nanoTime();
        try {
            for (RecordingInfo r : missing) {
                if (closed) {
                    break;
                }
                if (!indexOne(r)) {
                    failed++;
                }
                done++;
                backlog.decrementAndGet();
                if (done % COMMIT_EVERY == 0) {
                    commit();
                }
                if (System.nanoTime() - lastReport >= PROGRESS_NANOS) {
                    lastReport = System.nanoTime();
                    progress.accept("search index: " + done + " of " + missing.size() + " recordings indexed ("
                            + (100L * done / missing.size()) + " %)");
                }
            }
        } finally {
            backlog.addAndGet(-(missing.size() - done));
            commit();
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        progress.accept("search index: " + (done - failed) + " recording(s) indexed in "
                + String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0)
                + (failed > 0 ? "; " + failed + " could not be read (see the log; retried at the next start)" : "")
                + (done < missing.size() ? "; stopped early, the rest follows at the next start" : ""));
        return new CatchUp(done - failed, failed, removed);
    }

    /** On the indexer thread. Commits (an fsync) when nothing else waits, or once a second under a burst of closes. */
    private void indexClosed(String id) {
        try {
            var info = store.find(id);
            if (info.isEmpty()) {
                index.remove(id);
                uncommitted = true;
            } else if (indexOne(info.get())) {
                uncommitted = true;
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("search index: recording {} is not searchable until the next start: {}", id, e.toString());
        }
        try {
            if (uncommitted && (backlog.get() <= 1 || System.nanoTime() - lastCommitNanos >= COMMIT_NANOS)) {
                commit();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("search index: cannot commit ({}); tried again when the next recording closes, and at the next"
                    + " start", e.toString());
        }
    }

    private void commit() throws IOException {
        index.commit();
        uncommitted = false;
        lastCommitNanos = System.nanoTime();
    }

    /** @return false when the recording could not be read (logged) */
    private boolean indexOne(RecordingInfo info) throws IOException {
        LineExtractor lines = new LineExtractor(info, limits);
        try {
            RecordingEvents.read(store, info.id(), lines);
        } catch (IOException | RuntimeException e) {
            LOG.warn("search index: recording {} of session {} cannot be read and is not indexed: {}", info.id(),
                    info.sessionId(), e.toString());
            return false;
        }
        Map<String, String> labels = info.target() == null ? Map.of() : labelsOfTarget.apply(info.target());
        IndexedRecording recording = new IndexedRecording(info, labels == null ? Map.of() : labels, lines.lines(),
                lines.truncated());
        if (recording.truncated()) {
            LOG.warn("search index: recording {} has more lines than the index takes; only the first {} of each kind"
                    + " are searchable", info.id(), limits.maxLinesPerKind());
        }
        index.add(recording);
        return true;
    }

    /** Searches the index (whatever is indexed so far). */
    public SearchResult search(SearchQuery query) throws IOException {
        return index.search(query);
    }

    /** Stops indexing (a running catch-up stops after its current recording), commits, and closes the index. */
    @Override
    public void close() throws IOException {
        closed = true;
        thread.shutdown();
        try {
            // No interrupt: Lucene treats an interrupted write as fatal to the writer. A catch-up checks
            // 'closed' between recordings, so this waits for one recording at most.
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("search index: indexing did not stop within 10 s; closing the index anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (index.writable()) {
                index.commit();
            }
        } finally {
            index.close();
        }
    }
}
