package dev.portier.gateway.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * IOS-style command matching over a tree of keywords: any unambiguous prefix of a keyword works
 * ({@code sh ver}, {@code conf t}), {@code <name>} stands for an argument, and a trailing {@code ?} lists what
 * may follow.
 */
final class CommandParser {

    /** The outcome of parsing one line. */
    sealed interface Parse permits Match, Invalid, Incomplete, Ambiguous, Help, Empty {
    }

    /** A full command: its canonical path ({@code "hostname <name>"}) and the argument values. */
    record Match(String path, List<String> args) implements Parse {
    }

    /** No command has this word; {@code column} is where it starts in the line. */
    record Invalid(int column) implements Parse {
    }

    record Incomplete() implements Parse {
    }

    record Ambiguous() implements Parse {
    }

    /** The lines listing what may follow the words before the {@code ?}. */
    record Help(List<String> lines) implements Parse {
    }

    record Empty() implements Parse {
    }

    private static final class Node {
        final String word;
        final String help;
        final Map<String, Node> children = new LinkedHashMap<>();
        boolean complete;

        Node(String word, String help) {
            this.word = word;
            this.help = help;
        }

        boolean isArgument() {
            return word.startsWith("<");
        }
    }

    private final Node root = new Node("", "");

    /**
     * Declares a command, e.g. {@code add("show version", "Show running system information",
     * "System hardware and software status")}: one help text per word; a word already declared keeps its text.
     */
    CommandParser add(String path, String... helpPerWord) {
        String[] words = path.split(" ");
        if (words.length != helpPerWord.length) {
            throw new IllegalArgumentException("one help text per word expected for: " + path);
        }
        Node node = root;
        for (int i = 0; i < words.length; i++) {
            String help = helpPerWord[i];
            node = node.children.computeIfAbsent(words[i], word -> new Node(word, help));
        }
        node.complete = true;
        return this;
    }

    Parse parse(String line) {
        List<int[]> spans = tokens(line);
        if (spans.isEmpty()) {
            return new Empty();
        }
        Node node = root;
        List<String> path = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            String token = line.substring(spans.get(i)[0], spans.get(i)[1]);
            if (token.equals("?") && i == spans.size() - 1) {
                return help(node);
            }
            Node next = step(node, token.toLowerCase(Locale.ROOT));
            if (next == null) {
                return new Invalid(spans.get(i)[0]);
            }
            if (next == node) {
                return new Ambiguous();
            }
            if (next.isArgument()) {
                args.add(token);
            }
            path.add(next.word);
            node = next;
        }
        return node.complete ? new Match(String.join(" ", path), List.copyOf(args)) : new Incomplete();
    }

    /** The child matching {@code token}; {@code null} if none, {@code node} itself if several keywords match. */
    private static Node step(Node node, String token) {
        Node exact = node.children.get(token);
        if (exact != null) {
            return exact;
        }
        Node found = null;
        Node argument = null;
        for (Node child : node.children.values()) {
            if (child.isArgument()) {
                argument = child;
            } else if (child.word.startsWith(token)) {
                if (found != null) {
                    return node;
                }
                found = child;
            }
        }
        return found != null ? found : argument;
    }

    private static Help help(Node node) {
        List<String> lines = new ArrayList<>();
        for (Node child : node.children.values()) {
            lines.add(String.format(Locale.ROOT, "  %-22s%s", child.word, child.help));
        }
        if (node.complete) {
            lines.add("  <cr>");
        }
        return new Help(lines);
    }

    /** Start and end offsets of the blank-separated words of {@code line}. */
    private static List<int[]> tokens(String line) {
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                spans.add(new int[] {start, i});
            }
        }
        return spans;
    }
}
