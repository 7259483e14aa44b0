package dev.portier.recorder.storage;

import dev.portier.recorder.RecordingInfo;
import java.time.Instant;

/** What the uploader reports, for the audit log: each upload, and the first failure of each recording's upload. */
public interface UploadListener {
    UploadListener NONE = new UploadListener() {
        @Override
        public void uploaded(RecordingInfo recording, UploadReceipt receipt, int attempts) {
        }

        @Override
        public void uploadFailed(RecordingInfo recording, String location, String error, Instant nextAttempt) {
        }
    };

    /** Confirmed in the store after {@code attempts} tries. Called on the uploader thread. */
    void uploaded(RecordingInfo recording, UploadReceipt receipt, int attempts);

    /** The first failed try for this recording (later retries are not reported until it succeeds). */
    void uploadFailed(RecordingInfo recording, String location, String error, Instant nextAttempt);
}
