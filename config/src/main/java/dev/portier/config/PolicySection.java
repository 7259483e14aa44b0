package dev.portier.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Binds {@code policies:} and checks what they refer to: every named target exists, and every account is
 * held by at least one target the policy selects, so a typo cannot silently grant nothing.
 */
final class PolicySection {
    static final List<String> POLICY_KEYS = List.of("name", "subjects", "targets", "accounts", "channels", "approval",
            "breakGlass", "windows");
    private static final int NAMES_SHOWN = 10;

    private PolicySection() {
    }

    static List<PolicyConfig> bind(List<YamlMap> entries, List<TargetConfig> targets, Problems problems) {
        List<PolicyConfig> policies = new ArrayList<>();
        List<Located> names = new ArrayList<>();
        for (YamlMap entry : entries) {
            Optional<Located> name = entry.requiredString("name", "");
            name.ifPresent(n -> {
                if (Names.check(problems, n, Names.TARGET, "policy name")) {
                    names.add(n);
                }
            });
            if (!entry.has("subjects")) {
                entry.missing("subjects", ": who the policy is for, e.g. { teams: [netops] }");
            }
            SubjectSelector subjects = entry.map("subjects", SelectorSection.SUBJECT_KEYS)
                    .map(s -> SelectorSection.subjects(s, problems))
                    .orElseGet(() -> new SubjectSelector(List.of(), List.of(), List.of(), List.of()));
            if (!entry.has("targets")) {
                entry.missing("targets", ": which targets, e.g. { names: [rtr-bru-01] } or { labels: { kind: router } }");
            }
            List<Located> targetNames = new ArrayList<>();
            Optional<TargetSelector> selector = entry.map("targets", SelectorSection.TARGET_KEYS)
                    .map(t -> SelectorSection.targets(t, targetNames, problems));
            List<Located> accounts = entry.strings("accounts").stream()
                    .filter(a -> Names.check(problems, a, Names.ACCOUNT, "account name")).toList();
            checkTargetNames(targetNames, targets, problems);
            selector.ifPresent(s -> checkAccounts(accounts, s, targets, problems));
            ApprovalConfig approval = entry.map("approval", ApprovalSection.APPROVAL_KEYS)
                    .map(a -> ApprovalSection.approval(a, problems)).orElse(null);
            BreakGlassConfig breakGlass = entry.map("breakGlass", ApprovalSection.BREAK_GLASS_KEYS)
                    .map(b -> ApprovalSection.breakGlass(b, problems)).orElse(null);
            List<WindowConfig> windows = WindowSection.bind(entry.maps("windows", WindowSection.WINDOW_KEYS), problems);
            policies.add(new PolicyConfig(name.map(Located::value).orElse(""), subjects,
                    selector.orElseGet(() -> new TargetSelector(List.of(), Map.of(), List.of())),
                    accounts.stream().map(Located::value).distinct().toList(), channels(entry, problems), approval,
                    breakGlass, windows));
        }
        Names.unique(problems, names, "policy name", true);
        return policies;
    }

    private static Set<String> channels(YamlMap entry, Problems problems) {
        if (!entry.has("channels")) {
            return Set.copyOf(PolicyConfig.CHANNEL_KINDS);
        }
        Set<String> channels = new LinkedHashSet<>();
        for (Located kind : entry.strings("channels")) {
            String normalized = kind.value().toLowerCase(Locale.ROOT);
            if (PolicyConfig.CHANNEL_KINDS.contains(normalized)) {
                channels.add(normalized);
            } else {
                problems.add(kind, "unknown channel kind " + Problems.quote(kind.value())
                        + "; allowed: " + String.join(", ", PolicyConfig.CHANNEL_KINDS));
            }
        }
        if (entry.isList("channels") && !entry.hasContent("channels")) {
            problems.add(entry.lineOf("channels"), entry.keyPath("channels"),
                    "must list at least one channel kind; omit it to allow " + String.join(", ", PolicyConfig.CHANNEL_KINDS));
        }
        return channels;
    }

    static void checkTargetNames(List<Located> names, List<TargetConfig> targets, Problems problems) {
        Set<String> known = targets.stream().map(TargetConfig::name).collect(Collectors.toSet());
        for (Located name : names) {
            if (!known.contains(name.value())) {
                problems.add(name, "unknown target " + Problems.quote(name.value()) + "; "
                        + (targets.isEmpty() ? "no targets are configured" : "known targets: " + shown(known)));
            }
        }
    }

    /**
     * An account must belong to a selected target. When the selector selects nothing yet (a label or
     * classification no target has), there is nothing to check against, and such a policy is allowed.
     */
    private static void checkAccounts(List<Located> accounts, TargetSelector selector, List<TargetConfig> targets,
                                      Problems problems) {
        List<TargetConfig> selected = targets.stream().filter(selector::matches).toList();
        if (selected.isEmpty()) {
            return;
        }
        for (Located account : accounts) {
            if (selected.stream().noneMatch(t -> t.accounts().contains(account.value()))) {
                problems.add(account, "no target this policy selects has account " + Problems.quote(account.value())
                        + " (selected: " + shown(selected.stream().map(TargetConfig::name).toList()) + ")");
            }
        }
    }

    private static String shown(Collection<String> names) {
        List<String> sorted = names.stream().sorted().toList();
        String shown = String.join(", ", sorted.subList(0, Math.min(NAMES_SHOWN, sorted.size())));
        return sorted.size() > NAMES_SHOWN ? shown + ", ..." : shown;
    }
}
