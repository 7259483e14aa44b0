package dev.portier.config;

import java.util.List;
import java.util.Map;

/** Which targets a policy covers: every non-empty criterion must hold (AND); labels must all match. */
public record TargetSelector(List<String> names, Map<String, String> labels, List<Classification> classification) {
    public TargetSelector {
        names = List.copyOf(names);
        labels = Map.copyOf(labels);
        classification = List.copyOf(classification);
    }

    /** True when it names no criterion; the loader refuses such a selector. */
    public boolean isEmpty() {
        return names.isEmpty() && labels.isEmpty() && classification.isEmpty();
    }

    /**
     * Whether {@code target} is covered: every non-empty criterion holds. An empty selector matches
     * nothing, so a selector that slipped through validation fails closed.
     */
    public boolean matches(TargetConfig target) {
        if (isEmpty()) {
            return false;
        }
        return (names.isEmpty() || names.contains(target.name()))
                && (classification.isEmpty() || classification.contains(target.classification()))
                && labels.entrySet().stream().allMatch(l -> l.getValue().equals(target.labels().get(l.getKey())));
    }
}
