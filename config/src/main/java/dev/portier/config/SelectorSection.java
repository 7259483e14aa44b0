package dev.portier.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds the selectors of a policy: {@code subjects:}, {@code targets:} and the approvers of
 * {@code approval:}. An empty selector is an error: a policy for nobody or for nothing is a mistake, and
 * treating it as "everyone" would fail open.
 */
final class SelectorSection {
    static final List<String> SUBJECT_KEYS = List.of("users", "teams", "roles", "realms");
    static final List<String> APPROVER_KEYS = List.of("users", "teams", "roles");
    static final List<String> TARGET_KEYS = List.of("names", "labels", "classification");

    private SelectorSection() {
    }

    static SubjectSelector subjects(YamlMap map, Problems problems) {
        requireSome(map, SUBJECT_KEYS, problems, "selects nobody; list users, teams, roles or realms");
        return new SubjectSelector(values(map, "users"), values(map, "teams"), values(map, "roles"), values(map, "realms"));
    }

    static SubjectSelector approvers(YamlMap map, Problems problems) {
        requireSome(map, APPROVER_KEYS, problems, "names no approver; list users, teams or roles");
        return new SubjectSelector(values(map, "users"), values(map, "teams"), values(map, "roles"), List.of());
    }

    /** The target selector; {@code names} keeps the located names so unknown targets can be reported. */
    static TargetSelector targets(YamlMap map, List<Located> names, Problems problems) {
        requireSome(map, TARGET_KEYS, problems, "selects no target; use names, labels or classification");
        names.addAll(map.strings("names"));
        Map<String, String> labels = new LinkedHashMap<>();
        map.stringMap("labels").forEach((k, v) -> labels.put(k, v.value()));
        List<Classification> classes = new ArrayList<>();
        for (Located c : map.strings("classification")) {
            TargetSection.classification(c, problems).ifPresent(classes::add);
        }
        return new TargetSelector(names.stream().map(Located::value).toList(), labels, classes);
    }

    private static void requireSome(YamlMap map, List<String> keys, Problems problems, String message) {
        if (keys.stream().noneMatch(map::hasContent)) {
            problems.add(map.line(), map.path(), message);
        }
    }

    private static List<String> values(YamlMap map, String key) {
        return IdentitySection.values(map.strings(key));
    }
}
