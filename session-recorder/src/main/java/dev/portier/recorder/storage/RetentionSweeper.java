package dev.portier.recorder.storage;

import dev.portier.recorder.RecordingInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes recordings whose retention has passed: closed (never open) recordings whose end, plus the retention of
 * their target's classification, lies in the past, and that are not under legal hold. Holds are read fresh for
 * every sweep and checked again just before each deletion; if they cannot be read (the object store is down),
 * nothing is deleted. Recordings this node does not list (another node's, or a lost data directory's) are never
 * deleted by guesswork. Blocking: run it on a scheduler thread.
 */
public final class RetentionSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

    /** Told about each deletion (to audit it) and each failed one. */
    public interface Listener {
        void deleted(RecordingInfo recording, Duration retention, Instant expired, String location);

        void failed(RecordingInfo recording, String error);
    }

    private final Catalog catalog;
    private final RecordingStorage storage;
    private final Function<RecordingInfo, Optional<Duration>> retention;
    private final Listener listener;

    /** @param retention how long to keep a recording (by its target's classification); empty keeps it for ever */
    public RetentionSweeper(Catalog catalog, RecordingStorage storage,
            Function<RecordingInfo, Optional<Duration>> retention, Listener listener) {
        this.catalog = catalog;
        this.storage = storage;
        this.retention = retention;
        this.listener = listener;
    }

    /**
     * @return the recordings deleted
     * @throws IOException if the recordings or the holds cannot be listed: then nothing was deleted
     */
    public List<RecordingInfo> sweep(Instant now) throws IOException {
        Set<String> held = storage.holds().heldIds();
        List<RecordingInfo> deleted = new ArrayList<>();
        for (RecordingInfo r : catalog.list()) {
            if (Catalog.OPEN.equals(r.status()) || held.contains(r.id())) {
                continue;
            }
            Optional<Duration> keep = retention.apply(r);
            if (keep.isEmpty()) {
                continue;
            }
            Instant expired = (r.end() != null ? r.end() : r.start()).plus(keep.get());
            if (expired.isAfter(now)) {
                continue;
            }
            try {
                if (storage.holds().isHeld(r.id())) {
                    continue; // held since the sweep began
                }
                storage.delete(r.id());
            } catch (IOException e) {
                String error = e.getMessage() != null ? e.getMessage() : e.toString();
                LOG.warn("recording {} is past its retention but could not be deleted: {}", r.id(), error);
                listener.failed(r, error);
                if (e instanceof ObjectStoreException ose && ose.unreachable()) {
                    break;
                }
                continue;
            }
            LOG.info("recording {} deleted: its retention of {} ended at {}", r.id(), keep.get(), expired);
            listener.deleted(r, keep.get(), expired, storage.location());
            deleted.add(r);
        }
        return deleted;
    }
}
