package dev.portier.config;

import java.util.List;

/**
 * {@code recording:} what the session recorder keeps. {@code input} records keystrokes (default false).
 * {@code maskPatterns} are extra case-insensitive regular expressions (Java syntax) for password prompts in
 * the target's output; input typed after one is masked up to the next newline, on top of the built-in
 * prompts ({@code Password:}, {@code passphrase ...:}, {@code [sudo] password for}, {@code enable secret}).
 * {@code spotCheck} samples sessions into the auditors' review queue (off by default). {@code retention} says
 * how long closed recordings are kept per target classification (for ever by default). {@code encrypt}
 * encrypts new recordings at rest (default true; recordings of either kind stay readable).
 */
public record RecordingConfig(boolean input, List<String> maskPatterns, SpotCheckConfig spotCheck,
        RetentionConfig retention, boolean encrypt) {
    public static final RecordingConfig DEFAULT = new RecordingConfig(false, List.of(), SpotCheckConfig.OFF);

    public RecordingConfig {
        maskPatterns = List.copyOf(maskPatterns);
        java.util.Objects.requireNonNull(spotCheck, "spotCheck");
        java.util.Objects.requireNonNull(retention, "retention");
    }

    /** Encrypted at rest. */
    public RecordingConfig(boolean input, List<String> maskPatterns, SpotCheckConfig spotCheck,
            RetentionConfig retention) {
        this(input, maskPatterns, spotCheck, retention, true);
    }

    /** Kept for ever. */
    public RecordingConfig(boolean input, List<String> maskPatterns, SpotCheckConfig spotCheck, boolean encrypt) {
        this(input, maskPatterns, spotCheck, RetentionConfig.KEEP_ALL, encrypt);
    }

    /** Encrypted at rest, kept for ever. */
    public RecordingConfig(boolean input, List<String> maskPatterns, SpotCheckConfig spotCheck) {
        this(input, maskPatterns, spotCheck, RetentionConfig.KEEP_ALL, true);
    }

    public RecordingConfig(boolean input, List<String> maskPatterns) {
        this(input, maskPatterns, SpotCheckConfig.OFF);
    }

    public RecordingConfig(boolean input) {
        this(input, List.of());
    }
}
