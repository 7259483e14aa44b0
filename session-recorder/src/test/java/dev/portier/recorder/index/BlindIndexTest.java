package dev.portier.recorder.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.recorder.RecordingInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index holds neither the text of a line nor its grams in the clear, and only its own key reads it. */
class BlindIndexTest {
    private static final Instant START = Instant.parse("2026-11-27T09:00:00Z");
    private static final String ID = "20261127T090000Z-0000beef";
    private static final IndexKey KEY = LuceneRecordingIndexTest.KEY;
    /**
     * Odd characters, so that its grams are not Lucene's own words (field and codec names). Note that Lucene's
     * stored-field compression may break a clear text into pieces, so the scan looks for trigrams.
     */
    private static final String MARKER = "Zq#8 Vqxjw!Kj4@wm2 Hyx%91";

    @TempDir
    Path data;

    private static IndexedRecording recording(String... lines) {
        List<IndexedLine> l = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            l.add(new IndexedLine(i == 0 ? IndexedLine.Kind.COMMAND : IndexedLine.Kind.OUTPUT, i * 1000L, lines[i]));
        }
        return new IndexedRecording(new RecordingInfo(ID, "s-1", "alice", "srv-1", "root", START,
                START.plusSeconds(60), "closed"), Map.of(), l, false);
    }

    private static List<String> grep(LuceneRecordingIndex index, String text) throws IOException {
        return index.search(new SearchQuery(text, null, null, null, Map.of(), null, 50)).hits().stream()
                .map(SearchHit::line).toList();
    }

    /** Every file under the index directory, as one Latin-1 string (each byte one character). */
    private String everyFile() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(data.resolve("index"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\0');
            }
        }
        return all.toString();
    }

    /**
     * The marker's trigrams (as typed and folded, in UTF-8) found in the files. Ciphertexts, hashes and Lucene's
     * random segment ids may hold any three bytes by chance (about one in 10,000 per trigram here), so the tests
     * allow one; a clear index holds every one of them.
     */
    private List<String> markerTrigramsIn(String files) {
        Set<String> grams = new java.util.LinkedHashSet<>(Trigrams.ofText(MARKER));
        grams.addAll(Trigrams.ofText(Trigrams.fold(MARKER)));
        return grams.stream().filter(g -> files.contains(new String(g.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1))).toList();
    }

    @Test
    void noLineTextNorItsTrigramsAreInTheIndexFiles() throws Exception {
        try (LuceneRecordingIndex index = LuceneRecordingIndex.open(data.resolve("index"), KEY)) {
            index.add(recording("echo " + MARKER, MARKER, "prefix " + MARKER + " suffix"));
            index.commit();
            assertEquals(List.of("echo " + MARKER, MARKER, "prefix " + MARKER + " suffix"), grep(index, "VQXJW!kj"),
                    "search still works");
            assertEquals(3, grep(index, "%9").size(), "two-character texts too");
        }
        String files = everyFile();
        assertFalse(files.contains("Vqxjw"), "line text in the clear");
        assertFalse(files.contains("vqxjw"), "folded line text in the clear");
        List<String> found = markerTrigramsIn(files);
        assertTrue(found.size() <= 1, "trigrams in the clear: " + found);
        assertTrue(files.contains(ID), "metadata stays clear (it is in .meta.json too), so the scan does see text");
    }

    @Test
    void anotherKeyFindsNothingAndTheIndexIsRebuilt() throws Exception {
        try (LuceneRecordingIndex index = LuceneRecordingIndex.open(data.resolve("index"), KEY)) {
            index.add(recording(MARKER));
            index.commit();
        }
        IndexKey other = IndexKey.of(IndexKey.newKey());
        assertNotEquals(KEY.id(), other.id());
        try (LuceneRecordingIndex index = LuceneRecordingIndex.open(data.resolve("index"), other)) {
            assertEquals(Set.of(), index.recordingIds(), "emptied, so the indexer indexes every recording again");
            assertEquals(List.of(), grep(index, "vqxjw"));
            index.add(recording(MARKER));
            index.commit();
            assertEquals(List.of(MARKER), grep(index, "vqxjw"));
        }
        try (LuceneRecordingIndex index = LuceneRecordingIndex.open(data.resolve("index"), other)) {
            assertEquals(Set.of(ID), index.recordingIds(), "kept under its own key");
        }
    }

    @Test
    void aClearIndexOfVersionOneIsDeletedAtOpen() throws Exception {
        Path dir = Files.createDirectories(data.resolve("index"));
        try (FSDirectory d = FSDirectory.open(dir);
                IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
            w.setLiveCommitData(Map.of(LuceneRecordingIndex.VERSION_KEY, "1").entrySet());
            Document doc = new Document();
            doc.add(new StringField(LuceneDocuments.RID, ID, Field.Store.YES));
            doc.add(new StoredField(LuceneDocuments.TEXT, MARKER));
            w.addDocument(doc);
            w.commit();
        }
        List<String> clear = markerTrigramsIn(everyFile());
        assertTrue(clear.size() > 1, "the scan sees the trigrams of the old index's clear line: " + clear);
        try (LuceneRecordingIndex index = LuceneRecordingIndex.open(dir, KEY)) {
            assertEquals(Set.of(), index.recordingIds());
            List<String> found = markerTrigramsIn(everyFile());
            assertTrue(found.size() <= 1, "the clear files are gone as soon as the index is open: " + found);
        }
    }

    @Test
    void gramsBecomeKeyedHashesOfFixedLength() {
        BlindCodec a = KEY.codec();
        BlindCodec b = IndexKey.of(IndexKey.newKey()).codec();
        String term = a.terms(Set.of("abc")).iterator().next();
        assertEquals(Set.of(term), KEY.codec().terms(Set.of("abc")), "the same for a search");
        assertEquals(16, term.length());
        assertFalse(term.contains("abc"));
        assertNotEquals(Set.of(term), b.terms(Set.of("abc")), "another key, other terms");
        assertEquals(16, a.terms(Set.of("ab")).iterator().next().length());
    }

    @Test
    void aSealedLineOpensOnlyInItsPlaceAndUnaltered() throws Exception {
        BlindCodec codec = KEY.codec();
        String aad = LuceneDocuments.aad(ID, "output", 1000);
        byte[] sealed = codec.seal(aad, "sudo systemctl restart nginx");
        BlindCodec reader = KEY.codec();
        assertEquals("sudo systemctl restart nginx", reader.open(aad, sealed));
        assertThrows(IOException.class, () -> reader.open(LuceneDocuments.aad(ID, "output", 2000), sealed),
                "moved to another offset");
        assertThrows(IOException.class, () -> reader.open(LuceneDocuments.aad("20261127T090000Z-00000002",
                "output", 1000), sealed), "moved to another recording");
        byte[] altered = sealed.clone();
        altered[altered.length - 20] ^= 1;
        assertThrows(IOException.class, () -> reader.open(aad, altered));
        assertThrows(IOException.class, () -> IndexKey.of(IndexKey.newKey()).codec().open(aad, sealed));
        assertThrows(IOException.class, () -> reader.open(aad, new byte[10]));
        assertNotEquals(new String(sealed, StandardCharsets.ISO_8859_1),
                new String(codec.seal(aad, "sudo systemctl restart nginx"), StandardCharsets.ISO_8859_1),
                "a fresh nonce per line");
    }

    @Test
    void theKeyHasThirtyTwoBytes() {
        assertThrows(IllegalArgumentException.class, () -> IndexKey.of(new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> IndexKey.of(null));
    }
}
