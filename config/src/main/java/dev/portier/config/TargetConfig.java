package dev.portier.config;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code targets:}.
 *
 * @param hostKey    the pinned host key, OpenSSH public key format; a mismatch refuses the connection
 * @param accounts   account names in order; the first is the default account
 * @param algorithms per-target algorithm overrides for old equipment
 */
public record TargetConfig(
        String name,
        HostPort address,
        String hostKey,
        String owner,
        Classification classification,
        Map<String, String> labels,
        List<String> accounts,
        AlgorithmsConfig algorithms) {

    public TargetConfig {
        labels = Map.copyOf(labels);
        accounts = List.copyOf(accounts);
    }

    public String defaultAccount() {
        return accounts.get(0);
    }
}
