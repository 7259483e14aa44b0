package dev.portier.gateway.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.recorder.index.IndexedLine;
import dev.portier.recorder.index.SearchHit;
import dev.portier.recorder.index.SearchQuery;
import dev.portier.recorder.index.SearchResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchRequestTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static String problem(SearchRequest r) {
        return assertThrows(IllegalArgumentException.class, () -> r.toQuery(NOW)).getMessage();
    }

    @Test
    void optionsBecomeAQuery() {
        SearchQuery q = new SearchRequest("reload", "alice", "rtr-bru-01", List.of("site=bru", "kind=router"), "7d",
                "200").toQuery(NOW);
        assertEquals(new SearchQuery("reload", null, "alice", "rtr-bru-01", Map.of("site", "bru", "kind", "router"),
                Instant.parse("2026-11-20T12:00:00Z"), 200), q);
        SearchQuery plain = new SearchRequest("reload", null, null, List.of(), null, null).toQuery(NOW);
        assertEquals(SearchQuery.DEFAULT_LIMIT, plain.limit());
        assertNull(plain.since());
        assertNull(plain.owner());
    }

    @Test
    void eachBadOptionIsNamed() {
        assertEquals("--grep: the search text needs at least 2 characters",
                problem(new SearchRequest("x", null, null, List.of(), null, null)));
        assertEquals("--label takes KEY=VALUE, e.g. --label site=bru",
                problem(new SearchRequest("abc", null, null, List.of("site"), null, null)));
        assertEquals("--label site is given twice",
                problem(new SearchRequest("abc", null, null, List.of("site=a", "site=b"), null, null)));
        assertTrue(problem(new SearchRequest("abc", null, null, List.of(), "7x", null)).startsWith("--since: "));
        assertEquals("--limit takes a whole number from 1 to 1000",
                problem(new SearchRequest("abc", null, null, List.of(), null, "1001")));
        assertEquals("--limit takes a whole number from 1 to 1000",
                problem(new SearchRequest("abc", null, null, List.of(), null, "ten")));
        assertEquals("--grep TEXT is required", problem(new SearchRequest(null, null, null, List.of(), null, null)));
    }

    @Test
    void hitsPrintWithoutAnythingThatDrivesATerminal() {
        SearchHit hit = new SearchHit("20261127T173501Z-9f3a61c2", "s-1", "alice", "srv-1", "root",
                Instant.parse("2026-11-27T17:35:01Z"), 192_400, IndexedLine.Kind.COMMAND, "echo \u202egnp.exe\u0007");
        String text = SearchOutput.hits(new SearchResult(List.of(hit), false), false);
        assertEquals("20261127T173501Z-9f3a61c2     03:12  alice      srv-1/root           command  echo ?gnp.exe?\n",
                text);
        String json = SearchOutput.hits(new SearchResult(List.of(hit), false), true);
        assertTrue(json.contains("\"offset\":\"03:12\"") && json.contains("\"offsetSeconds\":192.4")
                && json.contains("\"time\":\"2026-11-27T17:38:13.400Z\""), json);
        assertEquals("No recorded line matches.\n", SearchOutput.hits(new SearchResult(List.of(), false), false));
        assertTrue(SearchOutput.notes(new SearchResult(List.of(), true), 3).contains("3 recording(s) are still"));
    }
}
