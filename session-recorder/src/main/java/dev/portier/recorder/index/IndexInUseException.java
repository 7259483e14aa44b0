package dev.portier.recorder.index;

import java.io.IOException;

/** Another process (a running gateway) holds the index: only one may write it. */
public final class IndexInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    public IndexInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
