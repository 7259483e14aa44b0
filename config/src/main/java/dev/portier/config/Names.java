package dev.portier.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Name rules. Names end up in SSH usernames ({@code alice:admin@rtr-bru-01}), so they may never hold the
 * separators {@code : # @ /}; the patterns below exclude them.
 */
final class Names {
    static final Pattern TARGET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    static final Pattern USER = Pattern.compile("[a-z_][a-z0-9._-]{0,31}", Pattern.CASE_INSENSITIVE);
    static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Names() {
    }

    /** Reports {@code name} unless it matches; {@code what} reads like "target name". */
    static boolean check(Problems problems, Located name, Pattern rule, String what) {
        if (rule.matcher(name.value()).matches()) {
            return true;
        }
        String separators = name.value().matches(".*[:#@/].*")
                ? "; ':', '#', '@' and '/' separate the parts of an SSH username" : "";
        problems.add(name, Problems.quote(name.value()) + " is not a valid " + what + " (" + rule.pattern() + ")" + separators);
        return false;
    }

    /**
     * Reports every name seen before; compared without case where a name must not differ only by case
     * (target and user names: DNS and many SSH servers ignore case, so both spellings would meet).
     */
    static void unique(Problems problems, List<Located> names, String what, boolean ignoreCase) {
        Map<String, Located> seen = new HashMap<>();
        for (Located name : names) {
            String key = ignoreCase ? name.value().toLowerCase(Locale.ROOT) : name.value();
            Located first = seen.putIfAbsent(key, name);
            if (first != null) {
                problems.add(name, "duplicate " + what + " " + Problems.quote(name.value()) + " (first at line " + first.line() + ")");
            }
        }
    }
}
