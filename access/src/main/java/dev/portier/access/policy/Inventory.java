package dev.portier.access.policy;

import dev.portier.config.TargetConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The configured targets, by name, in config order. Immutable, so thread-safe. */
public final class Inventory {
    private final List<TargetConfig> targets;
    private final Map<String, TargetConfig> byName;

    /** @throws IllegalArgumentException if two targets share a name */
    public Inventory(List<TargetConfig> targets) {
        this.targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
        Map<String, TargetConfig> map = new HashMap<>();
        for (TargetConfig t : this.targets) {
            if (map.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate target " + t.name());
            }
        }
        this.byName = Map.copyOf(map);
    }

    public Optional<TargetConfig> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    /** Every target, in config order. */
    public List<TargetConfig> all() {
        return targets;
    }
}
