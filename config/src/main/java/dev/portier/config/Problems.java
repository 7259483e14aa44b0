package dev.portier.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem of one file, so the user fixes them all in one round instead of one per run. */
final class Problems {
    /** Key used for problems that concern the whole document rather than one key. */
    static final String ROOT = "(root)";

    private static final int MAX_QUOTED = 48;

    private final String file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, String key, String message) {
        problems.add(new ConfigProblem(file, line, key, message));
    }

    void add(Located at, String message) {
        add(at.line(), at.key(), message);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** All problems in file order; the sort is stable, so problems on one line keep the order found. */
    ConfigException exception() {
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(ConfigProblem::line));
        return new ConfigException(sorted);
    }

    /**
     * A value quoted for a message: escaped, so a message stays on one line, and shortened, so a pasted
     * key or certificate does not flood the terminal.
     */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        int shown = Math.min(value.length(), MAX_QUOTED);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < ' ' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append(value.length() > MAX_QUOTED ? "...\"" : "\"").toString();
    }
}
