package dev.portier.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.portier.config.YamlNode.Entry;
import dev.portier.config.YamlNode.ScalarType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a {@link YamlNode} tree with Jackson's streaming parser, which reports the line of
 * every token. A syntax error becomes one problem at the line SnakeYAML points to; aliases are reported
 * because a value defined elsewhere would make "the line of this key" ambiguous.
 */
final class YamlTreeReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final YAMLParser parser;
    private final Problems problems;
    /** The key whose tokens are being read, so a syntax error can name where in the tree it struck. */
    private String where = Problems.ROOT;

    private YamlTreeReader(YAMLParser parser, Problems problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /**
     * The document's root, or empty when the text holds no document (empty, only comments) or has a
     * syntax error (then {@code problems} holds it).
     */
    static Optional<YamlNode> read(String yaml, Problems problems) {
        YamlTreeReader reader = null;
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            reader = new YamlTreeReader(parser, problems);
            JsonToken first = reader.next();
            if (first == null) {
                return Optional.empty();
            }
            YamlNode root = reader.node(first, Problems.ROOT);
            JsonToken extra = reader.next();
            if (extra != null) {
                problems.add(reader.line(), Problems.ROOT,
                        "a second YAML document starts here; put the whole configuration in one document");
            }
            return root instanceof YamlNode.Scalar s && s.type() == ScalarType.NULL ? Optional.empty() : Optional.of(root);
        } catch (IOException e) {
            problems.add(syntaxLine(e), reader == null ? Problems.ROOT : reader.where, "YAML syntax error: " + syntaxMessage(e));
            return Optional.empty();
        }
    }

    private YamlNode node(JsonToken token, String path) throws IOException {
        int line = line();
        switch (token) {
            case START_OBJECT: {
                List<Entry> entries = new ArrayList<>();
                for (JsonToken t = next(path); t != JsonToken.END_OBJECT; t = next(path)) {
                    String key = parser.currentName();
                    int keyLine = line();
                    String child = path.equals(Problems.ROOT) ? key : path + "." + key;
                    entries.add(new Entry(key, keyLine, node(next(child), child)));
                }
                return new YamlNode.MapNode(line, entries);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                for (JsonToken t = next(path); t != JsonToken.END_ARRAY; t = next(path)) {
                    items.add(node(t, path + "[" + items.size() + "]"));
                }
                return new YamlNode.ListNode(line, items);
            }
            case VALUE_STRING:
                if (parser.isCurrentAlias()) {
                    problems.add(line, path, "YAML aliases (*" + parser.getText() + ") are not supported; write the value out");
                    return scalar(line, ScalarType.INVALID, null);
                }
                return scalar(line, ScalarType.STRING, null);
            case VALUE_NUMBER_INT:
                return scalar(line, ScalarType.INT, parser.getNumberValue());
            case VALUE_NUMBER_FLOAT:
                return scalar(line, ScalarType.FLOAT, parser.getNumberValue());
            case VALUE_TRUE:
                return scalar(line, ScalarType.TRUE, null);
            case VALUE_FALSE:
                return scalar(line, ScalarType.FALSE, null);
            case VALUE_NULL:
                return scalar(line, ScalarType.NULL, null);
            default:
                problems.add(line, path, "unsupported YAML value (binary or tagged data); write plain text");
                return scalar(line, ScalarType.INVALID, null);
        }
    }

    private YamlNode scalar(int line, ScalarType type, Number number) throws IOException {
        String text = parser.getText();
        return new YamlNode.Scalar(line, type, text == null ? "" : text, number);
    }

    private JsonToken next(String path) throws IOException {
        where = path;
        return next();
    }

    private JsonToken next() throws IOException {
        return parser.nextToken();
    }

    private int line() {
        return parser.currentTokenLocation().getLineNr();
    }

    /** SnakeYAML's problem mark is where the error is; Jackson's own location can trail it by a line. */
    private static int syntaxLine(IOException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            return marked.getProblemMark().getLine() + 1;
        }
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            return Math.max(0, j.getLocation().getLineNr());
        }
        return 0;
    }

    /** One line: SnakeYAML's own message repeats the source with carets over several lines. */
    private static String syntaxMessage(IOException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            String message = marked.getProblem().strip();
            if (marked.getContext() != null) {
                Mark at = marked.getContextMark();
                message += " (" + marked.getContext().strip() + (at == null ? "" : " started at line " + (at.getLine() + 1)) + ")";
            }
            return message;
        }
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (message != null && message.startsWith("Expected a field name")) {
            // Jackson's wording names SnakeYAML event classes; say it in the user's terms.
            return "a key must be a plain name, not a list or a map";
        }
        return message == null ? e.getClass().getSimpleName() : message.strip().lines().findFirst().orElse("");
    }
}
