package dev.portier.config;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code targets:}.
 *
 * @param address    where to connect; the port is 22 unless written
 * @param hostKey    the pinned host key, OpenSSH public key format; a mismatch refuses the connection
 * @param owner      the owning team, empty when not written
 * @param classification {@link Classification#RESTRICTED} unless written: without a word, assume the worst
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
