package dev.portier.recorder.index;

import java.util.List;

/**
 * The lines found, newest recording first and in recording order within one.
 *
 * @param more true when more lines match than the query's limit
 */
public record SearchResult(List<SearchHit> hits, boolean more) {
    public SearchResult {
        hits = List.copyOf(hits);
    }
}
