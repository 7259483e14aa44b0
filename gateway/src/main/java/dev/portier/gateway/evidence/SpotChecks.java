package dev.portier.gateway.evidence;

import dev.portier.access.identity.Identity;
import dev.portier.config.TargetConfig;
import dev.portier.gateway.core.Auditor;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts sampled session recordings into the review queue when a session channel starts. Blocking (reads the
 * recording index, syncs the queue file): call it on a worker thread. A failure to queue is logged and
 * audited but never ends the session: the recording itself is the evidence, the queue only a work list.
 */
public final class SpotChecks {
    private static final Logger LOG = LoggerFactory.getLogger(SpotChecks.class);
    private final SpotCheckSampler sampler;
    private final ReviewQueue queue;
    private final RecordingStore recordings;
    private final Auditor audit;

    public SpotChecks(SpotCheckSampler sampler, ReviewQueue queue, RecordingStore recordings, Auditor audit) {
        this.sampler = sampler;
        this.queue = queue;
        this.recordings = recordings;
        this.audit = audit;
    }

    public ReviewQueue queue() {
        return queue;
    }

    /** Samples the channel recorded for {@code sessionId} that started at {@code started}. */
    public void consider(Identity id, TargetConfig target, String sessionId, Instant started) {
        if (!sampler.sample(id.realm(), target)) {
            return;
        }
        try {
            Optional<RecordingInfo> rec = recordings.list().stream()
                    .filter(r -> sessionId.equals(r.sessionId()) && started.equals(r.start())).findFirst();
            if (rec.isEmpty()) {
                throw new IOException("no recording of session " + sessionId + " started at " + started);
            }
            queue.sample(rec.get().id(), sessionId, id.user(), target.name());
            audit.record("review.sampled", "portier", target.name(), sessionId, null, "spot-check",
                    Map.of("recording", rec.get().id(), "user", id.user()));
        } catch (IOException e) {
            LOG.error("[{}] a sampled session could not be queued for review: {}", sessionId, e.toString());
            audit.record("review.sample.failed", "portier", target.name(), sessionId, null, "spot-check",
                    Map.of("user", id.user(), "error", String.valueOf(e.getMessage())));
        }
    }
}
