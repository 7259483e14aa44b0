package dev.portier.recorder.index;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A search: lines containing {@code text} (case-insensitive substring), in recordings matching every filter.
 *
 * @param owner  only recordings of this user, whatever the other filters say (visibility); null for everyone's
 * @param user   only recordings of this user; null for any
 * @param target only recordings on this target; null for any
 * @param labels only recordings whose target carried every one of these labels
 * @param since  only lines completed at or after this time; null for any
 * @param limit  at most this many hits ({@value #MAX_LIMIT} at most)
 */
public record SearchQuery(String text, String owner, String user, String target, Map<String, String> labels,
        Instant since, int limit) {
    /** Shorter texts are refused: one character matches nearly every line (see {@code docs/search.md}). */
    public static final int MIN_CHARS = 2;
    public static final int MAX_CHARS = 200;
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    /** @throws IllegalArgumentException with a sentence a user can act on */
    public SearchQuery {
        Objects.requireNonNull(text, "text");
        labels = Map.copyOf(labels);
        int chars = text.codePointCount(0, text.length());
        if (text.isBlank() || chars < MIN_CHARS) {
            throw new IllegalArgumentException("the search text needs at least " + MIN_CHARS + " characters");
        }
        if (chars > MAX_CHARS) {
            throw new IllegalArgumentException("the search text may have at most " + MAX_CHARS + " characters");
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the search text must not contain control characters");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("the limit must be between 1 and " + MAX_LIMIT);
        }
    }
}
