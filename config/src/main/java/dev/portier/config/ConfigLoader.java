package dev.portier.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code portier.yaml} into a {@link PortierConfig}. Nothing is half-loaded: either the whole file is
 * valid, or a {@link ConfigException} lists every problem, each as {@code file:line: key: message}.
 */
public final class ConfigLoader {
    static final List<String> ROOT_KEYS = List.of(
            "server", "identity", "targets", "policies", "recording", "sod", "notifications", "storage", "siem");

    private ConfigLoader() {
    }

    /** Loads a UTF-8 file; problems name it as written (e.g. {@code ./portier.yaml}). */
    public static PortierConfig load(Path file) throws ConfigException, IOException {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, Problems.ROOT,
                    "the file is not UTF-8 text; save it as UTF-8")));
        }
        return bind(yaml, file.toString(), file);
    }

    /**
     * Parses YAML text; {@code fileName} names it in problems and becomes {@link PortierConfig#source()}.
     * An empty document gives {@link #defaults()}.
     */
    public static PortierConfig parse(String yaml, String fileName) throws ConfigException {
        return bind(yaml, fileName, Path.of(fileName));
    }

    /** The configuration without a file: data in {@code ./data}, SSH on 2222, HTTPS on 8443, nothing else. */
    public static PortierConfig defaults() {
        return empty(null);
    }

    private static PortierConfig bind(String yaml, String fileName, Path source) throws ConfigException {
        Problems problems = new Problems(fileName);
        Optional<YamlNode> root = YamlTreeReader.read(yaml, problems);
        if (root.isEmpty()) {
            if (!problems.isEmpty()) {
                throw problems.exception();
            }
            return empty(source);
        }
        Optional<YamlMap> top = YamlMap.of(root.get(), Problems.ROOT, problems, ROOT_KEYS);
        PortierConfig config = top.map(t -> bind(t, source, problems)).orElse(null);
        if (!problems.isEmpty()) {
            throw problems.exception();
        }
        return config;
    }

    /** Targets first: policies and SoD rules are checked against them. */
    private static PortierConfig bind(YamlMap top, Path source, Problems problems) {
        ServerConfig server = ServerSection.server(top.map("server", ServerSection.SERVER_KEYS), problems);
        IdentityConfig identity = IdentitySection.bind(top.map("identity", IdentitySection.IDENTITY_KEYS), problems);
        List<TargetConfig> targets = TargetSection.bind(top.maps("targets", TargetSection.TARGET_KEYS), problems);
        List<PolicyConfig> policies = PolicySection.bind(top.maps("policies", PolicySection.POLICY_KEYS), targets, problems);
        RecordingConfig recording = ServerSection.recording(top.map("recording", ServerSection.RECORDING_KEYS), problems);
        SodConfig sod = SodSection.bind(top.map("sod", SodSection.SOD_KEYS), targets, problems);
        NotificationsConfig notifications = NotificationsSection.bind(
                top.map("notifications", NotificationsSection.NOTIFICATION_KEYS), problems);
        StorageConfig storage = StorageSection.bind(top.map("storage", StorageSection.STORAGE_KEYS), problems);
        SiemConfig siem = SiemSection.bind(top.map("siem", SiemSection.SIEM_KEYS), problems);
        return new PortierConfig(source, server, identity, targets, policies, recording, sod, notifications, storage,
                siem);
    }

    private static PortierConfig empty(Path source) {
        return new PortierConfig(source,
                new ServerConfig(ServerConfig.DEFAULT_DATA_DIR, ServerConfig.DEFAULT_SSH, ServerConfig.DEFAULT_HTTPS),
                new IdentityConfig(List.of()), List.of(), List.of(), RecordingConfig.DEFAULT, SodConfig.DEFAULT,
                NotificationsConfig.NONE, StorageConfig.EMBEDDED, SiemConfig.NONE);
    }
}
