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
}
