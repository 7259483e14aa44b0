package dev.portier.gateway.evidence;

import dev.portier.gateway.core.Auditor;
import dev.portier.recorder.index.RecordingIndexer;
import dev.portier.recorder.index.SearchQuery;
import dev.portier.recorder.index.SearchResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Searches recordings for a viewer: auditors (and the CLI, which runs on the data directory) search everyone's
 * recordings, anyone else only their own, whatever filters they pass. Every search that shows results is audited
 * first ({@code recording.searched}: who, the text, the filters, how many lines matched); if the audit log cannot
 * be written, nothing is shown. Blocking: call it on a worker thread.
 */
public final class RecordingSearch {
    private final RecordingIndexer indexer;
    private final Auditor audit;

    /** A search that must not be shown; the message is one sentence for the user. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    public RecordingSearch(RecordingIndexer indexer, Auditor audit) {
        this.indexer = indexer;
        this.audit = audit;
    }

    /**
     * @param seesAll whether {@code actor} may search everyone's recordings
     * @param reason  why they may, for the audit log ({@code auditor}, {@code owner}, {@code cli})
     */
    public SearchResult search(String actor, boolean seesAll, String reason, SearchQuery query)
            throws Refused, IOException {
        return search(actor, seesAll, reason, query, Map.of());
    }

    /** @param context more audit details (the CLI's operating-system user) */
    public SearchResult search(String actor, boolean seesAll, String reason, SearchQuery query,
            Map<String, Object> context) throws Refused, IOException {
        SearchQuery q = seesAll ? query : new SearchQuery(query.text(), actor, query.user(), query.target(),
                query.labels(), query.since(), query.limit());
        SearchResult result = indexer.search(q);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("grep", q.text());
        details.put("user", q.user());
        details.put("labels", q.labels().isEmpty() ? null : q.labels());
        details.put("since", q.since() == null ? null : q.since().toString());
        details.put("limit", q.limit());
        details.put("scope", seesAll ? "all" : "own");
        details.put("hits", result.hits().size());
        details.put("more", result.more());
        details.putAll(context);
        if (!audit.record("recording.searched", actor, q.target(), null, "allow", reason, details)) {
            throw new Refused("the audit log cannot be written, so the search is refused;"
                    + " tell a Portier administrator");
        }
        return result;
    }

    /** Recordings still waiting to be indexed; a search does not see them yet. */
    public int backlog() {
        return indexer.backlog();
    }
}
