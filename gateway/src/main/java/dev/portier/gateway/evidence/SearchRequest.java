package dev.portier.gateway.evidence;

import dev.portier.config.Durations;
import dev.portier.recorder.index.SearchQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A search as typed, the same over SSH ({@code recordings --grep}) and on the command line
 * ({@code portier recordings search}): the option values as strings, checked and turned into a
 * {@link SearchQuery}. Every problem is one sentence naming the option.
 */
public record SearchRequest(String grep, String user, String target, List<String> labels, String since,
        String limit) {
    public SearchRequest {
        labels = List.copyOf(labels);
    }

    /**
     * The query, for everyone's recordings ({@link RecordingSearch} narrows it to the viewer's own when needed).
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public SearchQuery toQuery(Instant now) {
        if (grep == null) {
            throw new IllegalArgumentException("--grep TEXT is required");
        }
        Map<String, String> labelMap = new LinkedHashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            if (eq <= 0 || eq == l.length() - 1) {
                throw new IllegalArgumentException("--label takes KEY=VALUE, e.g. --label site=bru");
            }
            if (labelMap.put(l.substring(0, eq), l.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("--label " + l.substring(0, eq) + " is given twice");
            }
        }
        Instant from = null;
        if (since != null) {
            try {
                from = now.minus(Durations.parse(since));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--since: " + e.getMessage());
            }
        }
        int max = SearchQuery.DEFAULT_LIMIT;
        if (limit != null) {
            try {
                max = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > SearchQuery.MAX_LIMIT) {
                throw new IllegalArgumentException("--limit takes a whole number from 1 to " + SearchQuery.MAX_LIMIT);
            }
        }
        try {
            return new SearchQuery(grep, null, blankToNull(user), blankToNull(target), labelMap, from, max);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--grep: " + e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
