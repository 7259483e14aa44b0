package dev.portier.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Binds {@code server:} and {@code recording:}, the two small sections with defaults for everything. */
final class ServerSection {
    static final List<String> SERVER_KEYS = List.of("dataDir", "ssh", "https");
    static final List<String> LISTENER_KEYS = List.of("listen");
    static final List<String> HTTPS_KEYS = List.of("listen", "publicUrl");
    static final List<String> RECORDING_KEYS = List.of("input", "maskPatterns", "spotCheck", "retention", "encrypt");
    static final List<String> SPOT_CHECK_KEYS = List.of("percent", "realms", "labels");

    private ServerSection() {
    }

    static ServerConfig server(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return new ServerConfig(ServerConfig.DEFAULT_DATA_DIR, ServerConfig.DEFAULT_SSH, ServerConfig.DEFAULT_HTTPS);
        }
        YamlMap server = section.get();
        Path dataDir = server.string("dataDir").flatMap(dir -> path(dir, problems)).orElse(ServerConfig.DEFAULT_DATA_DIR);
        HostPort ssh = listen(server.map("ssh", LISTENER_KEYS), problems).orElse(ServerConfig.DEFAULT_SSH);
        Optional<YamlMap> httpsSection = server.map("https", HTTPS_KEYS);
        HostPort https = listen(httpsSection, problems).orElse(ServerConfig.DEFAULT_HTTPS);
        URI publicUrl = httpsSection.flatMap(h -> h.string("publicUrl")).flatMap(u -> publicUrl(u, problems))
                .orElse(null);
        return new ServerConfig(dataDir, ssh, https, publicUrl);
    }

    /**
     * {@code https.publicUrl}: an https origin, optionally with a path prefix; the portal's redirect URI is
     * {@code <publicUrl>/callback}, which must be registered in Keycloak exactly.
     */
    private static Optional<URI> publicUrl(Located u, Problems problems) {
        URI uri;
        try {
            uri = new URI(u.value());
        } catch (URISyntaxException e) {
            problems.add(u, Problems.quote(u.value()) + " is not a URL; write e.g. https://portier.example.net:8443");
            return Optional.empty();
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            problems.add(u, Problems.quote(u.value()) + " is not an https URL; write e.g. https://portier.example.net:8443"
                    + " (browsers send the session cookie only over https)");
            return Optional.empty();
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            problems.add(u, "must be the origin alone (https://host[:port]), without path, user, query or fragment");
            return Optional.empty();
        }
        return Optional.of(URI.create(u.value().replaceAll("/+$", "")));
    }

    static RecordingConfig recording(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return RecordingConfig.DEFAULT;
        }
        YamlMap recording = section.get();
        boolean input = recording.bool("input").orElse(RecordingConfig.DEFAULT.input());
        List<String> patterns = new ArrayList<>();
        for (Located p : recording.strings("maskPatterns")) {
            try {
                Pattern.compile(p.value());
                patterns.add(p.value());
            } catch (PatternSyntaxException e) {
                problems.add(p, "not a regular expression: " + e.getDescription());
            }
        }
        boolean encrypt = recording.bool("encrypt").orElse(RecordingConfig.DEFAULT.encrypt());
        return new RecordingConfig(input, patterns, spotCheck(recording.map("spotCheck", SPOT_CHECK_KEYS), problems),
                RetentionSection.bind(recording.map("retention", RetentionSection.RETENTION_KEYS), problems), encrypt);
    }

    private static SpotCheckConfig spotCheck(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return SpotCheckConfig.OFF;
        }
        YamlMap spot = section.get();
        int percent = spot.integer("percent").orElse(0);
        if (percent < 0 || percent > 100) {
            problems.add(spot.lineOf("percent"), spot.keyPath("percent"), "must be between 0 and 100, got " + percent);
            percent = 0;
        }
        List<String> realms = spot.strings("realms").stream().map(Located::value).toList();
        Map<String, String> labels = new LinkedHashMap<>();
        spot.stringMap("labels").forEach((k, v) -> labels.put(k, v.value()));
        return new SpotCheckConfig(percent, realms, labels);
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
