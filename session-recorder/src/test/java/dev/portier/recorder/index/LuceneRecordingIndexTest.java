package dev.portier.recorder.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.recorder.RecordingInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneRecordingIndexTest {
    private static final Instant DAY1 = Instant.parse("2026-11-20T09:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-27T09:00:00Z");
    static final IndexKey KEY = IndexKey.of(IndexKey.newKey());

    @TempDir
    Path data;
    private LuceneRecordingIndex index;

    @AfterEach
    void close() throws Exception {
        if (index != null) {
            index.close();
        }
    }

    private LuceneRecordingIndex index() throws Exception {
        if (index == null) {
            index = LuceneRecordingIndex.open(data.resolve("index"), KEY);
        }
        return index;
    }

    private static IndexedRecording recording(String id, String user, String target, Instant start,
            Map<String, String> labels, IndexedLine... lines) {
        return new IndexedRecording(new RecordingInfo(id, "s-" + id.substring(id.length() - 4), user, target, "admin",
                start, start.plusSeconds(600), "closed"), labels, List.of(lines), false);
    }

    private static IndexedLine cmd(long seconds, String text) {
        return new IndexedLine(IndexedLine.Kind.COMMAND, seconds * 1000, text);
    }

    private static IndexedLine out(long seconds, String text) {
        return new IndexedLine(IndexedLine.Kind.OUTPUT, seconds * 1000, text);
    }

    private static SearchQuery grep(String text) {
        return new SearchQuery(text, null, null, null, Map.of(), null, SearchQuery.DEFAULT_LIMIT);
    }

    private void addSample() throws Exception {
        index().add(recording("20261120T090000Z-00000001", "alice", "rtr-bru-01", DAY1, Map.of("site", "bru",
                "kind", "router"), cmd(5, "show running-config"), out(6, "interface GigabitEthernet0/1"),
                cmd(192, "reload in 5")));
        index().add(recording("20261127T090000Z-00000002", "bob", "srv-app-01", DAY2, Map.of("site", "ams",
                "kind", "server"), cmd(3, "sudo systemctl restart nginx"), out(4, "Job for nginx.service failed"),
                out(9, "interface eth0 is up")));
        index().commit();
    }

    private List<String> found(SearchQuery q) throws Exception {
        return index().search(q).hits().stream().map(h -> h.recordingId().substring(24) + "@" + h.offsetMillis() / 1000
                + ":" + h.line()).toList();
    }

    @Test
    void aReaderBesideTheWriterSeesWhatItCommittedAndCannotWrite() throws Exception {
        addSample();
        assertThrows(IndexInUseException.class, () -> LuceneRecordingIndex.open(data.resolve("index"), KEY));
        try (LuceneRecordingIndex reader = LuceneRecordingIndex.openReadOnly(data.resolve("index"), KEY)) {
            assertFalse(reader.writable());
            assertEquals(1, reader.search(grep("reload")).hits().size());
            assertThrows(IllegalStateException.class, () -> reader.remove("20261120T090000Z-00000001"));
            assertThrows(IllegalStateException.class, reader::commit);
        }
        assertThrows(java.io.IOException.class, () -> LuceneRecordingIndex.openReadOnly(data.resolve("index"),
                IndexKey.of(IndexKey.newKey())), "another key reads nothing");
        assertEquals(1, index().search(grep("reload")).hits().size(), "the writer is untouched");
    }

    @Test
    void aSubstringIsFoundWhateverItsCase() throws Exception {
        addSample();
        assertEquals(List.of("1@6:interface GigabitEthernet0/1"), found(grep("gigabitETHERNET0/")));
        assertEquals(List.of("2@3:sudo systemctl restart nginx"), found(grep("STEMCTL RES")));
    }

    @Test
    void aHitNamesTheRecordingTheOffsetTheUserAndTheTarget() throws Exception {
        addSample();
        SearchHit hit = index().search(grep("reload")).hits().get(0);
        assertEquals(new SearchHit("20261120T090000Z-00000001", "s-0001", "alice", "rtr-bru-01", "admin", DAY1,
                192_000, IndexedLine.Kind.COMMAND, "reload in 5"), hit);
    }

    @Test
    void newestRecordingsComeFirstAndLinesInRecordingOrder() throws Exception {
        addSample();
        assertEquals(List.of("2@9:interface eth0 is up", "1@6:interface GigabitEthernet0/1"), found(grep("interface")));
        assertEquals(List.of("2@3:sudo systemctl restart nginx", "2@4:Job for nginx.service failed"),
                found(grep("nginx")));
    }

    @Test
    void twoCharacterTextsAreFoundAnywhereInALine() throws Exception {
        addSample();
        assertEquals(List.of("2@9:interface eth0 is up"), found(grep("up")), "at the very end of a line");
        assertEquals(List.of("1@192:reload in 5"), found(grep(" 5")));
    }

    @Test
    void textsShorterThanTwoCharactersAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> grep("x"));
        assertEquals("the search text needs at least 2 characters", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> grep("  "));
        assertThrows(IllegalArgumentException.class, () -> grep("a\u001b[2Jb"));
    }

    @Test
    void linesHavingTheGramsButNotTheTextAreNotHits() throws Exception {
        index().add(recording("20261120T090000Z-00000003", "alice", "srv-1", DAY1, Map.of(),
                out(1, "abc xbcd"), out(2, "abcd")));
        index().commit();
        assertEquals(List.of("3@2:abcd"), found(grep("abcd")));
    }

    @Test
    void filtersNarrowTheSearch() throws Exception {
        addSample();
        assertEquals(List.of("1@6:interface GigabitEthernet0/1"),
                found(new SearchQuery("interface", null, "alice", null, Map.of(), null, 10)));
        assertEquals(List.of("2@9:interface eth0 is up"),
                found(new SearchQuery("interface", null, null, "srv-app-01", Map.of(), null, 10)));
        assertEquals(List.of("1@6:interface GigabitEthernet0/1"),
                found(new SearchQuery("interface", null, null, null, Map.of("kind", "router", "site", "bru"), null, 10)));
        assertEquals(List.of(),
                found(new SearchQuery("interface", null, null, null, Map.of("kind", "router", "site", "ams"), null, 10)));
        assertEquals(List.of("2@9:interface eth0 is up"),
                found(new SearchQuery("interface", null, null, null, Map.of(), DAY2.plusSeconds(5), 10)));
    }

    @Test
    void theOwnerRestrictionCannotBeWidenedByTheUserFilter() throws Exception {
        addSample();
        assertEquals(List.of(), found(new SearchQuery("nginx", "alice", "bob", null, Map.of(), null, 10)));
        assertEquals(List.of(), found(new SearchQuery("nginx", "alice", null, null, Map.of(), null, 10)));
        assertEquals(List.of("1@5:show running-config"),
                found(new SearchQuery("running", "alice", null, null, Map.of(), null, 10)));
    }

    @Test
    void theLimitCapsTheHitsAndSaysThereAreMore() throws Exception {
        IndexedLine[] lines = new IndexedLine[700];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = out(i, "ping 10.0.0." + i % 250 + " ok");
        }
        index().add(recording("20261120T090000Z-00000004", "alice", "srv-1", DAY1, Map.of(), lines));
        index().commit();
        SearchResult r = index().search(new SearchQuery("ping", null, null, null, Map.of(), null, 300));
        assertEquals(300, r.hits().size());
        assertTrue(r.more());
        assertEquals(299_000, r.hits().get(299).offsetMillis(), "in recording order across pages");
        SearchResult all = index().search(new SearchQuery("ping", null, null, null, Map.of(), null, 1000));
        assertEquals(700, all.hits().size());
        assertFalse(all.more());
    }

    @Test
    void addingARecordingAgainReplacesIt() throws Exception {
        addSample();
        index().add(recording("20261120T090000Z-00000001", "alice", "rtr-bru-01", DAY1, Map.of(), cmd(1, "exit")));
        index().commit();
        assertEquals(List.of(), found(grep("reload")));
        assertEquals(List.of("1@1:exit"), found(grep("exit")));
    }

    @Test
    void aRemovedRecordingIsNoLongerFound() throws Exception {
        addSample();
        index().remove("20261127T090000Z-00000002");
        index().commit();
        assertEquals(List.of(), found(grep("nginx")));
        assertEquals(Set.of("20261120T090000Z-00000001"), index().recordingIds());
    }

    @Test
    void theIndexSurvivesAReopen() throws Exception {
        addSample();
        index().close();
        index = null;
        assertEquals(Set.of("20261120T090000Z-00000001", "20261127T090000Z-00000002"), index().recordingIds());
        assertEquals(List.of("1@192:reload in 5"), found(grep("reload")));
    }

    @Test
    void anIndexOfAnotherVersionStartsEmpty() throws Exception {
        Path dir = data.resolve("index");
        Files.createDirectories(dir);
        try (FSDirectory d = FSDirectory.open(dir);
                IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
            w.setLiveCommitData(Map.of(LuceneRecordingIndex.VERSION_KEY, "0").entrySet());
            w.addDocument(new org.apache.lucene.document.Document());
            w.commit();
        }
        assertEquals(Set.of(), index().recordingIds());
        addSample();
        assertEquals(2, index().recordingIds().size());
    }

    @Test
    void aDamagedIndexStartsEmptyInsteadOfFailing() throws Exception {
        addSample();
        index().close();
        index = null;
        Path dir = data.resolve("index");
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("segments_")).toList()) {
                Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            }
        }
        assertEquals(Set.of(), index().recordingIds());
        addSample();
        assertEquals(List.of("1@192:reload in 5"), found(grep("reload")));
    }

    @Test
    void onlyOneProcessWritesTheIndex() throws Exception {
        index();
        IndexInUseException e = assertThrows(IndexInUseException.class,
                () -> LuceneRecordingIndex.open(data.resolve("index"), KEY));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }

    @Test
    void theIndexDirectoryIsTheOwnersAlone() throws Exception {
        Path dir = Files.createDirectories(data.resolve("index"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        index();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }
}
