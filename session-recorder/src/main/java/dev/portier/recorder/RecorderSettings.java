package dev.portier.recorder;

import java.time.Duration;

/**
 * How the recorder trades latency, file size and memory, in one place.
 *
 * @param flushInterval        longest time recorded data waits before it is written and synced to disk
 * @param coalesceWindow       chunks of one stream closer than this to the first become one event
 * @param flushThresholdBytes  a recording holding this much wakes the writer early (bulk output)
 * @param backlogBytes         from this much, {@link SessionRecorder#whenWritable} makes the bridge wait
 * @param maxBufferedBytes     per recording; beyond this the disk is deemed stuck and the recording fails
 */
public record RecorderSettings(
        Duration flushInterval,
        Duration coalesceWindow,
        int flushThresholdBytes,
        int backlogBytes,
        int maxBufferedBytes) {

    public static final RecorderSettings DEFAULTS =
            new RecorderSettings(Duration.ofMillis(250), Duration.ofMillis(10), 256 << 10, 1 << 20, 8 << 20);

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
    }
}
