package dev.portier.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds {@code sod:}. Every configured rule has a name that denials quote, unique across the section and
 * distinct from the built-in rule names.
 */
final class SodSection {
    static final List<String> SOD_KEYS = List.of("approverIndependence", "exclusiveAccess", "roleConflicts", "suppliers");
    static final List<String> INDEPENDENCE_KEYS = List.of("classifications", "independentOf");
    static final List<String> EXCLUSIVE_KEYS = List.of("name", "a", "b");
    static final List<String> SIDE_KEYS = List.of("names", "labels", "classification", "roles");
    static final List<String> CONFLICT_KEYS = List.of("name", "roles");
    static final List<String> SUPPLIER_KEYS = List.of("realms", "contractLabel");
    private static final List<String> INDEPENDENT_OF = List.of(SodConfig.ApproverIndependence.TEAM);

    private SodSection() {
    }

    static SodConfig bind(Optional<YamlMap> section, List<TargetConfig> targets, Problems problems) {
        if (section.isEmpty()) {
            return SodConfig.DEFAULT;
        }
        YamlMap sod = section.get();
        List<Located> names = new ArrayList<>();
        SodConfig.ApproverIndependence independence = sod.map("approverIndependence", INDEPENDENCE_KEYS)
                .map(i -> independence(i, problems)).orElse(null);
        List<SodConfig.ExclusiveAccess> exclusive = new ArrayList<>();
        for (YamlMap entry : sod.maps("exclusiveAccess", EXCLUSIVE_KEYS)) {
            exclusive(entry, targets, names, problems).ifPresent(exclusive::add);
        }
        List<SodConfig.RoleConflict> conflicts = new ArrayList<>();
        for (YamlMap entry : sod.maps("roleConflicts", CONFLICT_KEYS)) {
            conflict(entry, names, problems).ifPresent(conflicts::add);
        }
        Names.unique(problems, names, "SoD rule name", true);
        SodConfig.Suppliers suppliers = sod.map("suppliers", SUPPLIER_KEYS)
                .map(SodSection::suppliers).orElse(SodConfig.Suppliers.DEFAULT);
        return new SodConfig(independence, exclusive, conflicts, suppliers);
    }

    private static SodConfig.ApproverIndependence independence(YamlMap map, Problems problems) {
        List<Classification> classes = new ArrayList<>();
        for (Located c : map.strings("classifications")) {
            TargetSection.classification(c, problems).ifPresent(classes::add);
        }
        if (!map.has("classifications")) {
            classes.add(Classification.RESTRICTED);
        } else if (map.isList("classifications") && !map.hasContent("classifications")) {
            problems.add(map.lineOf("classifications"), map.keyPath("classifications"),
                    "must list at least one classification; omit approverIndependence to turn the rule off");
        }
        String independentOf = map.string("independentOf").map(v -> {
            if (!INDEPENDENT_OF.contains(v.value())) {
                problems.add(v, "unknown value " + Problems.quote(v.value()) + "; allowed: " + String.join(", ", INDEPENDENT_OF));
            }
            return v.value();
        }).orElse(SodConfig.ApproverIndependence.TEAM);
        return new SodConfig.ApproverIndependence(Set.copyOf(classes), independentOf);
    }

    private static Optional<SodConfig.ExclusiveAccess> exclusive(YamlMap entry, List<TargetConfig> targets,
                                                                 List<Located> names, Problems problems) {
        Optional<Located> name = ruleName(entry, names, problems);
        Optional<SodConfig.Side> a = side(entry, "a", targets, problems);
        Optional<SodConfig.Side> b = side(entry, "b", targets, problems);
        if (a.isEmpty() || b.isEmpty() || name.isEmpty()) {
            return Optional.empty();
        }
        if (a.get().isRoles() && b.get().isRoles()) {
            problems.add(entry.line(), entry.path(), "both sides are roles; write this rule under roleConflicts");
            return Optional.empty();
        }
        return Optional.of(new SodConfig.ExclusiveAccess(name.get().value(), a.get(), b.get()));
    }

    private static Optional<SodConfig.Side> side(YamlMap entry, String key, List<TargetConfig> targets, Problems problems) {
        if (!entry.has(key)) {
            entry.missing(key, ": targets ({ names, labels, classification }) or { roles: [...] }");
            return Optional.empty();
        }
        return entry.map(key, SIDE_KEYS).flatMap(side -> {
            boolean targetKeys = SelectorSection.TARGET_KEYS.stream().anyMatch(side::hasContent);
            boolean roleKeys = side.hasContent("roles");
            if (!targetKeys && !roleKeys) {
                problems.add(side.line(), side.path(), "selects nothing; use names, labels, classification or roles");
                return Optional.empty();
            }
            if (targetKeys && roleKeys) {
                problems.add(side.line(), side.path(),
                        "mixes roles with target criteria; a side is either roles or targets");
                return Optional.empty();
            }
            List<Located> targetNames = new ArrayList<>(side.strings("names"));
            PolicySection.checkTargetNames(targetNames, targets, problems);
            Map<String, String> labels = new LinkedHashMap<>();
            side.stringMap("labels").forEach((k, v) -> labels.put(k, v.value()));
            List<Classification> classes = new ArrayList<>();
            for (Located c : side.strings("classification")) {
                TargetSection.classification(c, problems).ifPresent(classes::add);
            }
            TargetSelector selector = new TargetSelector(targetNames.stream().map(Located::value).toList(), labels, classes);
            return Optional.of(new SodConfig.Side(selector, IdentitySection.values(side.strings("roles"))));
        });
    }

    private static Optional<SodConfig.RoleConflict> conflict(YamlMap entry, List<Located> names, Problems problems) {
        Optional<Located> name = ruleName(entry, names, problems);
        List<String> roles = IdentitySection.values(entry.strings("roles"));
        long distinct = roles.stream().map(r -> r.toLowerCase(Locale.ROOT)).distinct().count();
        if (distinct < 2) {
            problems.add(entry.lineOf("roles"), entry.keyPath("roles"),
                    "must list at least two different roles that one identity may not hold together, e.g. [auditor, operator]");
            return Optional.empty();
        }
        return name.map(n -> new SodConfig.RoleConflict(n.value(), roles));
    }

    private static Optional<Located> ruleName(YamlMap entry, List<Located> names, Problems problems) {
        Optional<Located> name = entry.requiredString("name", ": denials quote it, e.g. billing-vs-audit");
        return name.filter(n -> {
            if (!Names.check(problems, n, Names.TARGET, "rule name")) {
                return false;
            }
            if (SodConfig.BUILT_IN_RULES.contains(n.value().toLowerCase(Locale.ROOT))) {
                problems.add(n, Problems.quote(n.value()) + " is the name of a built-in rule; choose another name");
                return false;
            }
            names.add(n);
            return true;
        });
    }

    private static SodConfig.Suppliers suppliers(YamlMap map) {
        List<String> realms = map.has("realms")
                ? IdentitySection.values(map.strings("realms")) : SodConfig.Suppliers.DEFAULT.realms();
        String label = map.string("contractLabel").map(Located::value).orElse(SodConfig.Suppliers.DEFAULT.contractLabel());
        return new SodConfig.Suppliers(realms, label);
    }
}
