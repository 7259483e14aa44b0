package dev.portier.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Binds {@code server:} and {@code recording:}, the two small sections with defaults for everything. */
final class ServerSection {
    static final List<String> SERVER_KEYS = List.of("dataDir", "ssh", "https");
    static final List<String> LISTENER_KEYS = List.of("listen");
    static final List<String> RECORDING_KEYS = List.of("input");

    private ServerSection() {
    }

    static ServerConfig server(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return new ServerConfig(ServerConfig.DEFAULT_DATA_DIR, ServerConfig.DEFAULT_SSH, ServerConfig.DEFAULT_HTTPS);
        }
        YamlMap server = section.get();
        Path dataDir = server.string("dataDir").flatMap(dir -> path(dir, problems)).orElse(ServerConfig.DEFAULT_DATA_DIR);
        HostPort ssh = listen(server.map("ssh", LISTENER_KEYS), problems).orElse(ServerConfig.DEFAULT_SSH);
        HostPort https = listen(server.map("https", LISTENER_KEYS), problems).orElse(ServerConfig.DEFAULT_HTTPS);
        return new ServerConfig(dataDir, ssh, https);
    }

    static RecordingConfig recording(Optional<YamlMap> section) {
        return section.flatMap(recording -> recording.bool("input"))
                .map(RecordingConfig::new)
                .orElse(RecordingConfig.DEFAULT);
    }

    private static Optional<HostPort> listen(Optional<YamlMap> listener, Problems problems) {
        return listener.flatMap(l -> l.string("listen")).flatMap(address -> {
            try {
                return Optional.of(HostPort.parse(address.value()));
            } catch (IllegalArgumentException e) {
                problems.add(address, e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** Kept as written: a relative directory is resolved against the working directory when used. */
    private static Optional<Path> path(Located dir, Problems problems) {
        try {
            return Optional.of(Path.of(dir.value()));
        } catch (InvalidPathException e) {
            problems.add(dir, Problems.quote(dir.value()) + " is not a valid path: " + e.getReason());
            return Optional.empty();
        }
    }
}
