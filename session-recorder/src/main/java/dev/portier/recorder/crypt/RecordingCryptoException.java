package dev.portier.recorder.crypt;

import java.io.IOException;

/**
 * An encrypted recording cannot be read (no key, another master key, altered or reordered chunks) or its key cannot
 * be wrapped. The message is one sentence for people and never holds key material. An {@link IOException}, because
 * it surfaces while a recording is read as a stream.
 */
public final class RecordingCryptoException extends IOException {
    public RecordingCryptoException(String message) {
        super(message);
    }

    public RecordingCryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
