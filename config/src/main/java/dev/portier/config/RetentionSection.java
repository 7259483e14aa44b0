package dev.portier.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Binds {@code recording.retention}: {@code default} and one duration per classification, each at least a day. */
final class RetentionSection {
    static final String DEFAULT = "default";
    static final List<String> RETENTION_KEYS;

    static {
        List<String> keys = new ArrayList<>(List.of(DEFAULT));
        for (Classification c : Classification.values()) {
            keys.add(c.key());
        }
        RETENTION_KEYS = List.copyOf(keys);
    }

    private RetentionSection() {
    }

    static RetentionConfig bind(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return RetentionConfig.KEEP_ALL;
        }
        YamlMap retention = section.get();
        Duration fallback = retention.string(DEFAULT).flatMap(d -> duration(d, problems)).orElse(null);
        Map<Classification, Duration> by = new EnumMap<>(Classification.class);
        for (Classification c : Classification.values()) {
            retention.string(c.key()).flatMap(d -> duration(d, problems)).ifPresent(d -> by.put(c, d));
        }
        return new RetentionConfig(by, fallback);
    }

    private static Optional<Duration> duration(Located text, Problems problems) {
        Duration d;
        try {
            d = Durations.parse(text.value());
        } catch (IllegalArgumentException e) {
            problems.add(text, e.getMessage());
            return Optional.empty();
        }
        if (d.compareTo(RetentionConfig.MINIMUM) < 0) {
            problems.add(text, "must be at least 1d (recordings are evidence); write days, e.g. 400d");
            return Optional.empty();
        }
        return Optional.of(d);
    }
}
