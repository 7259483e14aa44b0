package dev.portier.recorder;

import java.time.Instant;

/**
 * What a recording is about, written in its asciicast header (under {@code portier}).
 *
 * @param channel {@code shell}, {@code exec}, {@code sftp} or {@code scp}
 * @param command the exec command line or subsystem name, may be null
 */
public record RecordingMetadata(
        String sessionId,
        String user,
        String target,
        String account,
        String channel,
        String command,
        int width,
        int height,
        String term,
        Instant start,
        boolean recordInput) {
}
