package dev.portier.recorder;

import java.time.Instant;

/**
 * What a recording is about, written in its asciicast header (under {@code portier}).
 *
 * @param channel {@code shell}, {@code exec}, {@code sftp} or {@code scp}
 * @param command the exec command line or subsystem name, may be null
 * @param grant   the signed statement (compact JWS) of the grant the session runs under; null for standing access
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
        boolean recordInput,
        String grant) {

    /** Without a grant: standing access. */
    public RecordingMetadata(String sessionId, String user, String target, String account, String channel,
            String command, int width, int height, String term, Instant start, boolean recordInput) {
        this(sessionId, user, target, account, channel, command, width, height, term, start, recordInput, null);
    }
}
