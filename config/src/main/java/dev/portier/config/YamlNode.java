package dev.portier.config;

import java.util.List;

/**
 * A parsed YAML value and the line it starts on. The loader keeps its own small tree because Jackson's
 * {@code JsonNode} forgets locations, and every problem must name its line.
 */
sealed interface YamlNode permits YamlNode.MapNode, YamlNode.ListNode, YamlNode.Scalar {

    /** 1-based line where the value starts. */
    int line();

    /** How the value reads in a message: {@code a map}, {@code a list}, or the quoted scalar. */
    String describe();

    /** One key of a map, with the line of the key itself (where unknown and duplicate keys are reported). */
    record Entry(String key, int line, YamlNode value) {}

    record MapNode(int line, List<Entry> entries) implements YamlNode {
        public MapNode {
            entries = List.copyOf(entries);
        }

        @Override
        public String describe() {
            return "a map";
        }
    }

    record ListNode(int line, List<YamlNode> items) implements YamlNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar as YAML resolved it; {@code text} is always the text as written, so a name such as
     * {@code 010} keeps its leading zero.
     *
     * @param number the value of an {@code INT} or {@code FLOAT} scalar, else {@code null}
     */
    record Scalar(int line, ScalarType type, String text, Number number) implements YamlNode {
        @Override
        public String describe() {
            return type == ScalarType.NULL ? "nothing" : Problems.quote(text);
        }
    }

    enum ScalarType {
        STRING, INT, FLOAT, TRUE, FALSE, NULL,
        /** A value the reader already reported (an alias, binary data); binders skip it silently. */
        INVALID
    }
}
