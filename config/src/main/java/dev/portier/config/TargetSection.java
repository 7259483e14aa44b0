package dev.portier.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Binds {@code targets:}: names, addresses, pinned host keys, accounts and per-target algorithms. */
final class TargetSection {
    static final List<String> TARGET_KEYS = List.of(
            "name", "address", "hostKey", "owner", "classification", "labels", "accounts", "algorithms");
    static final List<String> ALGORITHM_KEYS = List.of("kex", "ciphers", "macs", "hostKeys");
    static final String HOST_KEY_HINT = ": pin the target's SSH host key, e.g. the output of ssh-keyscan -t ed25519 HOST without the host field";

    private TargetSection() {
    }

    static List<TargetConfig> bind(List<YamlMap> entries, Problems problems) {
        List<TargetConfig> targets = new ArrayList<>();
        List<Located> names = new ArrayList<>();
        for (YamlMap entry : entries) {
            Optional<Located> name = entry.requiredString("name", "");
            name.ifPresent(n -> {
                if (Names.check(problems, n, Names.TARGET, "target name")) {
                    names.add(n);
                }
            });
            HostPort address = entry.requiredString("address", " (host:port; the port defaults to 22)")
                    .flatMap(a -> address(a, problems)).orElse(null);
            String hostKey = entry.requiredString("hostKey", HOST_KEY_HINT).filter(k -> hostKey(k, problems))
                    .map(Located::value).orElse("");
            String owner = entry.string("owner").map(Located::value).orElse("");
            Classification classification = entry.string("classification")
                    .flatMap(c -> classification(c, problems)).orElse(Classification.RESTRICTED);
            Map<String, String> labels = new LinkedHashMap<>();
            entry.stringMap("labels").forEach((k, v) -> labels.put(k, v.value()));
            targets.add(new TargetConfig(name.map(Located::value).orElse(""), address, hostKey, owner, classification,
                    labels, accounts(entry, problems), algorithms(entry.map("algorithms", ALGORITHM_KEYS))));
        }
        Names.unique(problems, names, "target name", true);
        return targets;
    }

    /** Parses a classification, case-insensitively; reports an unknown one with the allowed values. */
    static Optional<Classification> classification(Located text, Problems problems) {
        for (Classification c : Classification.values()) {
            if (c.key().equalsIgnoreCase(text.value())) {
                return Optional.of(c);
            }
        }
        List<String> allowed = Arrays.stream(Classification.values()).map(Classification::key).toList();
        problems.add(text, "unknown classification " + Problems.quote(text.value().toLowerCase(Locale.ROOT))
                + "; allowed: " + String.join(", ", allowed));
        return Optional.empty();
    }

    private static List<String> accounts(YamlMap entry, Problems problems) {
        if (!entry.has("accounts")) {
            entry.missing("accounts", ": list the accounts Portier logs in as, e.g. [admin]; the first is the default");
            return List.of();
        }
        List<Located> accounts = entry.strings("accounts");
        if (accounts.isEmpty() && entry.isList("accounts")) {
            problems.add(entry.lineOf("accounts"), entry.keyPath("accounts"), "must list at least one account, e.g. [admin]");
        }
        List<Located> valid = accounts.stream()
                .filter(a -> Names.check(problems, a, Names.ACCOUNT, "account name")).toList();
        Names.unique(problems, valid, "account", false);
        return valid.stream().map(Located::value).distinct().toList();
    }

    private static Optional<HostPort> address(Located text, Problems problems) {
        try {
            return Optional.of(HostPort.parse(text.value(), HostPort.SSH_PORT));
        } catch (IllegalArgumentException e) {
            problems.add(text, e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean hostKey(Located key, Problems problems) {
        try {
            SshPublicKeys.check(key.value());
            return true;
        } catch (IllegalArgumentException e) {
            problems.add(key, e.getMessage());
            return false;
        }
    }

    private static AlgorithmsConfig algorithms(Optional<YamlMap> section) {
        return section.map(a -> new AlgorithmsConfig(
                        IdentitySection.values(a.strings("kex")),
                        IdentitySection.values(a.strings("ciphers")),
                        IdentitySection.values(a.strings("macs")),
                        IdentitySection.values(a.strings("hostKeys"))))
                .orElse(AlgorithmsConfig.DEFAULT);
    }
}
