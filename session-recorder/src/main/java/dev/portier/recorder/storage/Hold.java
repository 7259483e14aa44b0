package dev.portier.recorder.storage;

import java.time.Instant;

/**
 * A legal hold on a recording: while it stands, retention never deletes the recording.
 *
 * @param by     who placed it (a Portier user, or the operating-system user of the CLI)
 * @param reason why, as the auditor wrote it (a case or ticket reference)
 */
public record Hold(String recording, String reason, String by, Instant since) {
}
