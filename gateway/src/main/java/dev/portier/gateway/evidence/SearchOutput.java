package dev.portier.gateway.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.recorder.index.SearchHit;
import dev.portier.recorder.index.SearchQuery;
import dev.portier.recorder.index.SearchResult;
import java.util.Locale;

/** How search hits print, the same over SSH and on the command line. */
public final class SearchOutput {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SearchOutput() {
    }

    /**
     * One line per hit: recording, offset, user, target/account, kind, line; {@code --json}: one object per hit.
     * Lines are printed with control and format characters (such as bidirectional overrides) replaced, so nothing
     * from a recording drives or disguises what the viewer's terminal shows.
     */
    public static String hits(SearchResult result, boolean json) {
        StringBuilder sb = new StringBuilder();
        for (SearchHit h : result.hits()) {
            if (json) {
                sb.append(json(h)).append('\n');
            } else {
                sb.append(String.format(Locale.ROOT, "%s  %8s  %-10s %-20s %-7s  %s%n", h.recordingId(),
                        Offsets.format(h.offsetMillis()), h.user(), h.target() + "/" + h.account(), h.kind().key(),
                        printable(h.line())));
            }
        }
        if (!json && result.hits().isEmpty()) {
            sb.append("No recorded line matches.\n");
        }
        return sb.toString();
    }

    /** The notes that go to stderr: more hits than shown, recordings not yet indexed. */
    public static String notes(SearchResult result, int backlog) {
        StringBuilder sb = new StringBuilder();
        if (result.more()) {
            sb.append("portier: more lines match than shown; narrow the search or raise --limit (at most ")
                    .append(SearchQuery.MAX_LIMIT).append(")\n");
        }
        if (backlog > 0) {
            sb.append("portier: ").append(backlog)
                    .append(" recording(s) are still being indexed and were not searched; try again shortly\n");
        }
        return sb.toString();
    }

    private static ObjectNode json(SearchHit h) {
        ObjectNode n = JSON.createObjectNode();
        n.put("recording", h.recordingId());
        n.put("sessionId", h.sessionId());
        n.put("user", h.user());
        n.put("target", h.target());
        n.put("account", h.account());
        n.put("start", h.start().toString());
        n.put("offset", Offsets.format(h.offsetMillis()));
        n.put("offsetSeconds", h.offsetMillis() / 1000.0);
        n.put("time", h.start().plusMillis(h.offsetMillis()).toString());
        n.put("kind", h.kind().key());
        n.put("line", h.line());
        return n;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(
                Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c));
        return sb.toString();
    }
}
