package dev.portier.config;

import java.util.List;

/**
 * {@code targets[].algorithms:} algorithm names (SSH wire names) to use towards one target, in order of
 * preference. An empty list keeps Portier's modern default for that category.
 */
public record AlgorithmsConfig(List<String> kex, List<String> ciphers, List<String> macs, List<String> hostKeys) {
    public static final AlgorithmsConfig DEFAULT = new AlgorithmsConfig(List.of(), List.of(), List.of(), List.of());

    public AlgorithmsConfig {
        kex = List.copyOf(kex);
        ciphers = List.copyOf(ciphers);
        macs = List.copyOf(macs);
        hostKeys = List.copyOf(hostKeys);
    }
}
