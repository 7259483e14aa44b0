package dev.portier.access.store;

/** The access store cannot be read or written; callers fail closed. */
public final class StoreException extends Exception {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
