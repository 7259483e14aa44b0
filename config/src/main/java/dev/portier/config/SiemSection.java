package dev.portier.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Binds {@code siem:}: the syslog receiver of the audit export and pseudonymisation. */
final class SiemSection {
    static final List<String> SIEM_KEYS = List.of("syslog", "pseudonymize");
    static final List<String> SYSLOG_KEYS = List.of("address", "tls", "ca", "format", "appName");
    /** RFC 5424 APP-NAME: 1*48 PRINTUSASCII (33-126). */
    private static final Pattern APP_NAME = Pattern.compile("[\\x21-\\x7e]{1,48}");

    private SiemSection() {
    }

    static SiemConfig bind(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return SiemConfig.NONE;
        }
        YamlMap siem = section.get();
        boolean pseudonymize = siem.bool("pseudonymize").orElse(false);
        SyslogConfig syslog = siem.map("syslog", SYSLOG_KEYS).flatMap(s -> syslog(s, problems)).orElse(null);
        if (pseudonymize && !siem.has("syslog")) {
            problems.add(siem.lineOf("pseudonymize"), siem.keyPath("pseudonymize"),
                    "applies only to an export; add siem.syslog or remove it");
        }
        return new SiemConfig(syslog, pseudonymize);
    }

    private static Optional<SyslogConfig> syslog(YamlMap syslog, Problems problems) {
        Optional<HostPort> address = syslog.requiredString("address", ": the receiver as host:port, e.g. siem.example.net:6514")
                .flatMap(a -> {
                    try {
                        return Optional.of(HostPort.parse(a.value()));
                    } catch (IllegalArgumentException e) {
                        problems.add(a, e.getMessage());
                        return Optional.empty();
                    }
                });
        boolean tls = syslog.bool("tls").orElse(true);
        Path ca = syslog.string("ca").flatMap(c -> path(c, problems)).orElse(null);
        if (ca != null && !tls) {
            problems.add(syslog.lineOf("ca"), syslog.keyPath("ca"), "applies only with tls: true");
        }
        Optional<SyslogConfig.Format> format = syslog.string("format").map(f -> format(f, problems))
                .orElse(Optional.of(SyslogConfig.Format.JSON));
        String appName = syslog.string("appName").filter(a -> {
            if (APP_NAME.matcher(a.value()).matches()) {
                return true;
            }
            problems.add(a, "must be 1 to 48 printable ASCII characters without spaces (RFC 5424 APP-NAME)");
            return false;
        }).map(Located::value).orElse(SyslogConfig.DEFAULT_APP_NAME);
        if (address.isEmpty() || format.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SyslogConfig(address.get(), tls, ca, format.get(), appName));
    }

    private static Optional<SyslogConfig.Format> format(Located text, Problems problems) {
        for (SyslogConfig.Format f : SyslogConfig.Format.values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(text.value())) {
                return Optional.of(f);
            }
        }
        problems.add(text, "unknown format " + Problems.quote(text.value()) + "; allowed: json, cef");
        return Optional.empty();
    }

    private static Optional<Path> path(Located text, Problems problems) {
        try {
            return Optional.of(Path.of(text.value()));
        } catch (InvalidPathException e) {
            problems.add(text, Problems.quote(text.value()) + " is not a valid path: " + e.getReason());
            return Optional.empty();
        }
    }
}
