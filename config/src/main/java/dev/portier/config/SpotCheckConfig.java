package dev.portier.config;

import java.util.List;
import java.util.Map;

/**
 * {@code recording.spotCheck:} which sessions are sampled into the auditors' review queue. A session is
 * eligible when its user's realm is in {@code realms} or its target carries every label in {@code labels}
 * (an empty selector matches nothing); {@code percent} of eligible sessions (0 to 100) are sampled.
 */
public record SpotCheckConfig(int percent, List<String> realms, Map<String, String> labels) {
    public static final SpotCheckConfig OFF = new SpotCheckConfig(0, List.of(), Map.of());

    public SpotCheckConfig {
        realms = List.copyOf(realms);
        labels = Map.copyOf(labels);
    }
}
