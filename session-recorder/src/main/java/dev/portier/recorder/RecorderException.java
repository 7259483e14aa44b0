package dev.portier.recorder;

/** The recording cannot be written; the session it belongs to must end. */
public final class RecorderException extends Exception {
    public RecorderException(String message, Throwable cause) {
        super(message, cause);
    }

    public RecorderException(String message) {
        super(message);
    }
}
