package dev.portier.recorder;

import dev.portier.recorder.crypt.ChunkCipher;
import java.time.Duration;

/**
 * How the recorder trades latency, file size and memory, in one place.
 *
 * @param flushInterval        longest time recorded data waits before it is written and synced to disk
 * @param coalesceWindow       chunks of one stream closer than this to the first become one event
 * @param flushThresholdBytes  a recording holding this much wakes the writer early (bulk output)
 * @param backlogBytes         from this much, {@link SessionRecorder#whenWritable} makes the bridge wait
 * @param maxBufferedBytes     per recording; beyond this the disk is deemed stuck and the recording fails
 * @param checkpointInterval   longest time written chunks wait for a signed checkpoint (plus one flush
 *                             interval); at most 10 s, the evidence promise
 */
public record RecorderSettings(
        Duration flushInterval,
        Duration coalesceWindow,
        int flushThresholdBytes,
        int backlogBytes,
        int maxBufferedBytes,
        Duration checkpointInterval) {

    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(5);
    /** Half the largest encrypted chunk a reader accepts: room for the event that overflows a full buffer. */
    public static final int MAX_BUFFERED_BYTES = ChunkCipher.MAX_FRAME_BYTES / 2;
    public static final RecorderSettings DEFAULTS =
            new RecorderSettings(Duration.ofMillis(250), Duration.ofMillis(10), 256 << 10, 1 << 20, 8 << 20);

    /** With the default checkpoint interval. */
    public RecorderSettings(Duration flushInterval, Duration coalesceWindow, int flushThresholdBytes, int backlogBytes,
            int maxBufferedBytes) {
        this(flushInterval, coalesceWindow, flushThresholdBytes, backlogBytes, maxBufferedBytes,
                DEFAULT_CHECKPOINT_INTERVAL);
    }

    public RecorderSettings withCheckpointInterval(Duration interval) {
        return new RecorderSettings(flushInterval, coalesceWindow, flushThresholdBytes, backlogBytes, maxBufferedBytes,
                interval);
    }

    public RecorderSettings {
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive");
        }
        if (coalesceWindow.isNegative()) {
            throw new IllegalArgumentException("coalesceWindow must not be negative");
        }
        if (flushThresholdBytes <= 0 || backlogBytes <= 0 || maxBufferedBytes < backlogBytes) {
            throw new IllegalArgumentException("buffer sizes must be positive, and backlogBytes <= maxBufferedBytes");
        }
        if (maxBufferedBytes > MAX_BUFFERED_BYTES) {
            // A chunk is at most one buffer: as an encrypted frame it must stay well inside what readers accept.
            throw new IllegalArgumentException("maxBufferedBytes must be at most " + MAX_BUFFERED_BYTES
                    + " (readers refuse encrypted chunks over " + ChunkCipher.MAX_FRAME_BYTES + " bytes)");
        }
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()
                || checkpointInterval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("checkpointInterval must be positive and at most 10 s");
        }
    }
}
