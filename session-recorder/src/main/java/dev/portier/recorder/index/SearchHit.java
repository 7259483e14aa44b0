package dev.portier.recorder.index;

import java.time.Instant;

/**
 * One matching line.
 *
 * @param start        when the recording started
 * @param offsetMillis where in the recording the line was completed
 */
public record SearchHit(
        String recordingId,
        String sessionId,
        String user,
        String target,
        String account,
        Instant start,
        long offsetMillis,
        IndexedLine.Kind kind,
        String line) {
}
