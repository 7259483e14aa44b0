package dev.portier.config;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code recording.retention}: how long closed recordings are kept, per target classification. A classification
 * without an entry takes {@code default}; without {@code default} either, its recordings are kept for ever. Nothing
 * is ever deleted when the section is absent ({@link #KEEP_ALL}).
 *
 * @param byClassification the entries written for a classification
 * @param fallback         {@code default}, or {@code null}
 */
public record RetentionConfig(Map<Classification, Duration> byClassification, Duration fallback) {
    public static final RetentionConfig KEEP_ALL = new RetentionConfig(Map.of(), null);
    /** Recordings are evidence: a retention shorter than this is a typo (400s for 400d), not a policy. */
    public static final Duration MINIMUM = Duration.ofDays(1);

    public RetentionConfig {
        byClassification = byClassification.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(byClassification));
    }

    /** True when some recordings may be deleted. */
    public boolean enabled() {
        return fallback != null || !byClassification.isEmpty();
    }

    /** How long recordings of a target of this classification are kept; empty means for ever. */
    public Optional<Duration> of(Classification classification) {
        return Optional.ofNullable(byClassification.getOrDefault(classification, fallback));
    }

    /**
     * The retention for a target no longer in the configuration: the longest of all, so that a removed target's
     * recordings are never deleted sooner than any rule could ask; empty (for ever) if any class is kept for ever.
     */
    public Optional<Duration> longest() {
        Duration longest = null;
        for (Classification c : Classification.values()) {
            Optional<Duration> d = of(c);
            if (d.isEmpty()) {
                return Optional.empty();
            }
            longest = longest == null || d.get().compareTo(longest) > 0 ? d.get() : longest;
        }
        return Optional.ofNullable(longest);
    }
}
