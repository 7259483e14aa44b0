package dev.portier.config;

import dev.portier.config.YamlNode.Entry;
import dev.portier.config.YamlNode.ListNode;
import dev.portier.config.YamlNode.MapNode;
import dev.portier.config.YamlNode.Scalar;
import dev.portier.config.YamlNode.ScalarType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One YAML map of the configuration, read with a fixed set of allowed keys. Every getter reports what is
 * wrong (unknown or duplicate key, wrong type, missing value) to {@link Problems} and answers empty, so a
 * section binder can keep going and the user sees every problem at once.
 *
 * <p>A key written without a value ({@code teams:}) counts as absent, which keeps commented-out lists valid.
 */
final class YamlMap {
    private final Problems problems;
    private final String path;
    private final int line;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private YamlMap(Problems problems, String path, MapNode node, List<String> allowed) {
        this.problems = problems;
        this.path = path;
        this.line = node.line();
        Map<String, Entry> seen = new LinkedHashMap<>();
        for (Entry entry : node.entries()) {
            Entry first = seen.putIfAbsent(entry.key(), entry);
            if (first != null) {
                problems.add(entry.line(), keyPath(entry.key()), "duplicate key (first at line " + first.line() + ")");
            } else if (!allowed.contains(entry.key())) {
                problems.add(entry.line(), keyPath(entry.key()), "unknown key; allowed keys: " + String.join(", ", allowed));
            } else {
                entries.put(entry.key(), entry);
            }
        }
    }

    /** The node as a map with these keys, or empty after reporting that it is not a map. */
    static Optional<YamlMap> of(YamlNode node, String path, Problems problems, List<String> allowed) {
        if (node instanceof MapNode map) {
            return Optional.of(new YamlMap(problems, path, map, allowed));
        }
        typeProblem(node, path, problems, "a map with keys " + String.join(", ", allowed));
        return Optional.empty();
    }

    int line() {
        return line;
    }

    String path() {
        return path;
    }

    String keyPath(String key) {
        return path.equals(Problems.ROOT) ? key : path + "." + key;
    }

    /** True when {@code key} has a value; one already reported as invalid counts, so it is not also "required". */
    boolean has(String key) {
        Entry entry = entries.get(key);
        return entry != null && !(entry.value() instanceof Scalar s && s.type() == ScalarType.NULL);
    }

    /** Reports {@code key} as missing: at its own line when written empty, else where this map starts. */
    void missing(String key, String hint) {
        problems.add(lineOf(key), keyPath(key), "is required" + hint);
    }

    /** The line of the value of {@code key}, or where this map starts when the key is absent. */
    int lineOf(String key) {
        Entry entry = entries.get(key);
        return entry == null ? line : entry.value().line();
    }

    Optional<Located> string(String key) {
        return node(key).flatMap(n -> string(n, keyPath(key), problems));
    }

    Optional<Located> requiredString(String key, String hint) {
        if (!has(key)) {
            missing(key, hint);
        }
        return string(key);
    }

    /** A list of strings; absent means empty. */
    List<Located> strings(String key) {
        List<Located> out = new ArrayList<>();
        Optional<ListNode> list = list(key, "a list of strings, e.g. [a, b]");
        list.ifPresent(l -> {
            for (int i = 0; i < l.items().size(); i++) {
                string(l.items().get(i), keyPath(key) + "[" + i + "]", problems).ifPresent(out::add);
            }
        });
        return out;
    }

    Optional<Boolean> bool(String key) {
        return node(key).flatMap(n -> {
            if (n instanceof Scalar s && (s.type() == ScalarType.TRUE || s.type() == ScalarType.FALSE)) {
                return Optional.of(s.type() == ScalarType.TRUE);
            }
            typeProblem(n, keyPath(key), problems, "true or false");
            return Optional.empty();
        });
    }

    Optional<Integer> integer(String key) {
        return node(key).flatMap(n -> {
            if (n instanceof Scalar s && s.type() == ScalarType.INT
                    && (s.number() instanceof Integer || s.number() instanceof Long || s.number() instanceof Short)
                    && s.number().longValue() == s.number().intValue()) {
                return Optional.of(s.number().intValue());
            }
            typeProblem(n, keyPath(key), problems, "a whole number");
            return Optional.empty();
        });
    }

    /** A nested map with its own allowed keys; empty when absent or wrong (reported). */
    Optional<YamlMap> map(String key, List<String> allowed) {
        return node(key).flatMap(n -> of(n, keyPath(key), problems, allowed));
    }

    /** A map whose keys are free and whose values are strings, e.g. labels. */
    Map<String, Located> stringMap(String key) {
        Map<String, Located> out = new LinkedHashMap<>();
        node(key).ifPresent(n -> {
            if (n instanceof MapNode map) {
                YamlMap free = new YamlMap(problems, keyPath(key), map, map.entries().stream().map(Entry::key).toList());
                free.entries.forEach((k, e) -> free.string(k).ifPresent(v -> out.put(k, v)));
            } else {
                typeProblem(n, keyPath(key), problems, "a map of names to values, e.g. { site: bru }");
            }
        });
        return out;
    }

    /** Each item of a list of maps, as a map with these keys; non-map items are reported and skipped. */
    List<YamlMap> maps(String key, List<String> allowed) {
        List<YamlMap> out = new ArrayList<>();
        list(key, "a list of maps").ifPresent(l -> {
            for (int i = 0; i < l.items().size(); i++) {
                of(l.items().get(i), keyPath(key) + "[" + i + "]", problems, allowed).ifPresent(out::add);
            }
        });
        return out;
    }

    /** True when {@code key} holds something other than an empty list or map ({@code []}, <code>{}</code>). */
    boolean hasContent(String key) {
        return node(key).filter(n -> !(n instanceof ListNode l && l.items().isEmpty())
                && !(n instanceof MapNode m && m.entries().isEmpty())).isPresent()
                || has(key) && node(key).isEmpty();
    }

    /** True when {@code key} is present as a list, even an empty one. */
    boolean isList(String key) {
        return node(key).filter(ListNode.class::isInstance).isPresent();
    }

    private Optional<ListNode> list(String key, String expected) {
        return node(key).flatMap(n -> {
            if (n instanceof ListNode l) {
                return Optional.of(l);
            }
            typeProblem(n, keyPath(key), problems, expected);
            return Optional.empty();
        });
    }

    /** The value of {@code key}; absent when missing, empty, or already reported as invalid. */
    private Optional<YamlNode> node(String key) {
        Entry entry = entries.get(key);
        if (entry == null || entry.value() instanceof Scalar s && (s.type() == ScalarType.NULL || s.type() == ScalarType.INVALID)) {
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    private static Optional<Located> string(YamlNode node, String path, Problems problems) {
        if (node instanceof Scalar s && s.type() != ScalarType.NULL) {
            if (s.type() == ScalarType.INVALID) {
                return Optional.empty();
            }
            if (s.text().isBlank()) {
                problems.add(s.line(), path, "must not be empty");
                return Optional.empty();
            }
            return Optional.of(new Located(s.text().strip(), s.line(), path));
        }
        typeProblem(node, path, problems, "a string");
        return Optional.empty();
    }

    private static void typeProblem(YamlNode node, String path, Problems problems, String expected) {
        problems.add(node.line(), path, "expected " + expected + ", got " + node.describe());
    }
}
