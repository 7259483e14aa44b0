package dev.portier.recorder.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene shape of the index: one document per line (its text stored encrypted, its grams indexed as keyed
 * hashes, see {@link BlindCodec}; the recording's who/where/when as filter fields, in the clear as in its
 * {@code .meta.json}) and one marker document per recording, which says the recording is indexed. Both are added
 * together, so a commit holds a recording whole or not at all.
 */
final class LuceneDocuments {
    static final String TYPE = "type";
    static final String LINE_DOC = "line";
    static final String RECORDING_DOC = "recording";
    static final String RID = "rid";
    static final String SESSION = "session";
    static final String USER = "user";
    static final String TARGET = "target";
    static final String ACCOUNT = "account";
    static final String LABEL = "label";
    static final String START = "start";
    static final String SEQ = "seq";
    static final String OFFSET = "offset";
    static final String TIME = "time";
    static final String KIND = "kind";
    static final String TEXT = "text";
    static final String GRAMS = "grams";
    static final String STATUS = "status";
    static final String LINES = "lines";
    static final String TRUNCATED = "truncated";

    /** Newest recording first, then the lines in recording order; also the index sort, so searches stop early. */
    static final Sort ORDER = new Sort(new SortField(START, SortField.Type.LONG, true),
            new SortField(RID, SortField.Type.STRING), new SortField(SEQ, SortField.Type.LONG));

    private static final FieldType GRAM_FIELD = new FieldType();

    static {
        GRAM_FIELD.setIndexOptions(IndexOptions.DOCS);
        GRAM_FIELD.setTokenized(true);
        GRAM_FIELD.setOmitNorms(true);
        GRAM_FIELD.setStored(false);
        GRAM_FIELD.freeze();
    }

    private LuceneDocuments() {
    }

    /** The documents of one recording: its lines, then its marker. */
    static List<Document> of(IndexedRecording r, BlindCodec codec) {
        List<Document> docs = new ArrayList<>(r.lines().size() + 1);
        long start = r.info().start().toEpochMilli();
        int seq = 0;
        for (IndexedLine line : r.lines()) {
            Document d = common(r, LINE_DOC, start, seq++);
            d.add(new StoredField(OFFSET, line.offsetMillis()));
            d.add(new LongPoint(TIME, start + line.offsetMillis()));
            d.add(new StoredField(KIND, line.kind().key()));
            d.add(new StoredField(TEXT, codec.seal(aad(r.info().id(), line.kind().key(), line.offsetMillis()),
                    line.text())));
            d.add(new Field(GRAMS, new GramTokenStream(codec.terms(Trigrams.ofLine(Trigrams.fold(line.text())))),
                    GRAM_FIELD));
            docs.add(d);
        }
        Document marker = common(r, RECORDING_DOC, start, -1);
        if (r.info().status() != null) {
            marker.add(new StoredField(STATUS, r.info().status()));
        }
        marker.add(new StoredField(LINES, r.lines().size()));
        marker.add(new StoredField(TRUNCATED, r.truncated() ? 1 : 0));
        docs.add(marker);
        return docs;
    }

    private static Document common(IndexedRecording r, String type, long start, int seq) {
        Document d = new Document();
        d.add(new StringField(TYPE, type, Field.Store.NO));
        d.add(new StringField(RID, r.info().id(), Field.Store.YES));
        d.add(new SortedDocValuesField(RID, new BytesRef(r.info().id())));
        d.add(new NumericDocValuesField(START, start));
        d.add(new StoredField(START, start));
        d.add(new NumericDocValuesField(SEQ, seq));
        optional(d, USER, r.info().user(), true);
        optional(d, TARGET, r.info().target(), true);
        optional(d, ACCOUNT, r.info().account(), false);
        optional(d, SESSION, r.info().sessionId(), false);
        for (Map.Entry<String, String> label : r.labels().entrySet()) {
            d.add(new StringField(LABEL, label(label.getKey(), label.getValue()), Field.Store.NO));
        }
        return d;
    }

    private static void optional(Document d, String field, String value, boolean filter) {
        if (value == null) {
            return;
        }
        d.add(filter ? new StringField(field, value, Field.Store.YES) : new StoredField(field, value));
    }

    private static String label(String key, String value) {
        return key + "=" + value;
    }

    /**
     * Binds a stored line to its place: a sealed line copied to another recording, kind or offset does not
     * decrypt. The parts cannot run into each other: a recording id has no newline, the others are fixed.
     */
    static String aad(String recordingId, String kind, long offsetMillis) {
        return "portier-index-line\n" + recordingId + "\n" + kind + "\n" + offsetMillis;
    }

    /** The {@link #aad} of a stored line document. */
    static String aad(Document d) {
        return aad(d.get(RID), d.get(KIND), d.getField(OFFSET).numericValue().longValue());
    }

    /** Candidates for {@code q}: lines holding all its grams, which are looked up by their keyed hashes. */
    static Query candidates(SearchQuery q, BlindCodec codec) {
        String folded = Trigrams.fold(q.text());
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(new TermQuery(new Term(TYPE, LINE_DOC)), BooleanClause.Occur.FILTER);
        for (String gram : codec.terms(Trigrams.ofText(folded))) {
            b.add(new TermQuery(new Term(GRAMS, gram)), BooleanClause.Occur.FILTER);
        }
        filter(b, USER, q.owner());
        filter(b, USER, q.user());
        filter(b, TARGET, q.target());
        for (Map.Entry<String, String> label : q.labels().entrySet()) {
            filter(b, LABEL, label(label.getKey(), label.getValue()));
        }
        if (q.since() != null) {
            b.add(LongPoint.newRangeQuery(TIME, q.since().toEpochMilli(), Long.MAX_VALUE), BooleanClause.Occur.FILTER);
        }
        return new ConstantScoreQuery(b.build());
    }

    private static void filter(BooleanQuery.Builder b, String field, String value) {
        if (value != null) {
            b.add(new TermQuery(new Term(field, value)), BooleanClause.Occur.FILTER);
        }
    }

    static Query recordings() {
        return new TermQuery(new Term(TYPE, RECORDING_DOC));
    }

    /** The sealed text of a line document; null when absent. */
    static byte[] sealedText(Document d) {
        BytesRef b = d.getBinaryValue(TEXT);
        return b == null ? null : java.util.Arrays.copyOfRange(b.bytes, b.offset, b.offset + b.length);
    }

    /** @param line the decrypted text of {@code d} */
    static SearchHit hit(Document d, String line) {
        return new SearchHit(d.get(RID), d.get(SESSION), d.get(USER), d.get(TARGET), d.get(ACCOUNT),
                Instant.ofEpochMilli(d.getField(START).numericValue().longValue()),
                d.getField(OFFSET).numericValue().longValue(), IndexedLine.Kind.ofKey(d.get(KIND)), line);
    }
}
