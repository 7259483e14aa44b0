package dev.portier.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration, immutable and validated. Built only by {@link ConfigLoader}.
 *
 * @param source the file it was read from, or {@code null} for built-in defaults
 * @param storage {@link StorageConfig#EMBEDDED} unless {@code storage.database} is written
 * @param siem    {@link SiemConfig#NONE} unless {@code siem:} is written
 */
public record PortierConfig(
        Path source,
        ServerConfig server,
        IdentityConfig identity,
        List<TargetConfig> targets,
        List<PolicyConfig> policies,
        RecordingConfig recording,
        SodConfig sod,
        NotificationsConfig notifications,
        StorageConfig storage,
        SiemConfig siem) {

    public PortierConfig {
        targets = List.copyOf(targets);
        policies = List.copyOf(policies);
    }

    public Optional<PolicyConfig> policy(String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<TargetConfig> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** A copy with another data directory (the {@code --data} flag wins over {@code server.dataDir}). */
    public PortierConfig withDataDir(Path dataDir) {
        return new PortierConfig(source, server.withDataDir(dataDir), identity, targets, policies, recording, sod,
                notifications, storage, siem);
    }
}
