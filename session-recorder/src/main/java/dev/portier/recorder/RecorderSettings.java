package dev.portier.recorder;

import java.time.Duration;

/**
 * How the recorder trades latency, file size and memory, in one place.
 *
 * @param flushInterval        longest time recorded data waits before it is written and synced to disk
 * @param coalesceWindow       chunks of one stream closer than this to the first become one event
 * @param maxBufferedBytes     per recording; beyond this the disk is deemed stuck and the recording fails
 * @param flushThresholdBytes  a recording holding this much wakes the flusher early (bulk output)
 */
public record RecorderSettings(
        Duration flushInterval,
        Duration coalesceWindow,
        int maxBufferedBytes,
        int flushThresholdBytes) {

    public static final RecorderSettings DEFAULTS =
            new RecorderSettings(Duration.ofMillis(250), Duration.ofMillis(10), 8 << 20, 256 << 10);

    public RecorderSettings {
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive");
        }
        if (coalesceWindow.isNegative()) {
            throw new IllegalArgumentException("coalesceWindow must not be negative");
        }
        if (maxBufferedBytes <= 0 || flushThresholdBytes <= 0) {
            throw new IllegalArgumentException("buffer sizes must be positive");
        }
    }
}
