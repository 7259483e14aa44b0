package dev.portier.recorder.storage;

import java.io.IOException;

/**
 * The object store failed: it cannot be reached, refused the request, or holds something other than what was
 * sent. The message says which store and what to do; it never carries a credential.
 */
public final class ObjectStoreException extends IOException {
    private final boolean unreachable;

    public ObjectStoreException(String message, boolean unreachable, Throwable cause) {
        super(message, cause);
        this.unreachable = unreachable;
    }

    /** True when the store did not answer at all: other requests would fail the same way now. */
    public boolean unreachable() {
        return unreachable;
    }
}
