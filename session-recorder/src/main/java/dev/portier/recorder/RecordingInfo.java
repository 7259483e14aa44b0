package dev.portier.recorder;

import java.time.Instant;

/**
 * One line of {@code portier recordings list --json}.
 *
 * @param status {@code recording}, {@code closed}, {@code failed} or {@code interrupted}
 */
public record RecordingInfo(
        String id,
        String sessionId,
        String user,
        String target,
        String account,
        Instant start,
        Instant end,
        String status) {
}
