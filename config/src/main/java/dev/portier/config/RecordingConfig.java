package dev.portier.config;

/** {@code recording:} what the session recorder keeps. {@code input} records keystrokes (default false). */
public record RecordingConfig(boolean input) {
    public static final RecordingConfig DEFAULT = new RecordingConfig(false);
}
