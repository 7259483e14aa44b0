package dev.portier.recorder.index;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index in a local directory ({@code <data>/index}, 0700), with Apache Lucene: a mature embedded search
 * library whose term dictionary and conjunctions make a trigram search over millions of lines take
 * milliseconds, with no server to run. One process writes it (Lucene's lock file); searches read near-real-time
 * snapshots. A search pages through the candidates in the index order (newest recording first) and keeps those
 * whose stored line really contains the text, until it has its limit.
 */
public final class LuceneRecordingIndex implements RecordingIndex {
    private static final Logger LOG = LoggerFactory.getLogger(LuceneRecordingIndex.class);
    /**
     * Changes whenever documents change shape; an index of another version is rebuilt from the recordings.
     * Version 1 held lines and grams in the clear; 2 is the blind index ({@link IndexKey}).
     */
    static final String VERSION = "2";
    static final String VERSION_KEY = "portier.index.version";
    /** The {@link IndexKey#id} the index was written under; an index of another key is rebuilt. */
    static final String KEY_ID_KEY = "portier.index.key";
    /** Candidates looked at per search at most, so that a pathological text cannot hold a thread for long. */
    static final int MAX_EXAMINED = 200_000;
    private static final int MIN_PAGE = 256;

    private final Directory directory;
    /** Null when opened {@link #openReadOnly read-only}. */
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final IndexKey key;

    private LuceneRecordingIndex(Directory directory, IndexWriter writer, IndexKey key) throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        this.key = key;
    }

    private LuceneRecordingIndex(Directory directory, IndexKey key) throws IOException {
        this.directory = directory;
        this.writer = null;
        this.searchers = new SearcherManager(directory, null);
        this.key = key;
    }

    /**
     * Opens the index that another process (a running gateway) writes, for searching only: what that process last
     * committed. Needs no lock; {@link #add}, {@link #remove} and {@link #commit} are refused.
     *
     * @throws IOException if there is no index of this version and key to read (the writer rebuilds it)
     */
    public static LuceneRecordingIndex openReadOnly(Path dir, IndexKey key) throws IOException {
        Objects.requireNonNull(key, "key");
        Directory directory = FSDirectory.open(dir);
        try {
            if (!DirectoryReader.indexExists(directory)) {
                throw new IOException("there is no search index in " + dir + " yet");
            }
            Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
            if (!VERSION.equals(data.get(VERSION_KEY)) || !key.id().equals(data.get(KEY_ID_KEY))) {
                throw new IOException("the search index in " + dir + " is of another version or key; the gateway"
                        + " rebuilds it");
            }
            return new LuceneRecordingIndex(directory, key);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    @Override
    public boolean writable() {
        return writer != null;
    }

    private IndexWriter writer() {
        if (writer == null) {
            throw new IllegalStateException("this search index was opened read-only");
        }
        return writer;
    }

    /**
     * Opens the index in {@code dir}, creating it (0700) when absent. An index written by another version of
     * Portier (the clear index of version 1 included) or under another key, or one that cannot be read (a damaged
     * file), starts empty and is rebuilt by the indexer: it only holds what the recordings hold, and a gateway must
     * not fail to start over it. The old files are deleted at once, so no clear text outlives the open.
     *
     * @param key hashes the grams and encrypts the lines (the gateway keeps it in the vault)
     * @throws IndexInUseException when another process (a running gateway) writes it
     */
    public static LuceneRecordingIndex open(Path dir, IndexKey key) throws IOException {
        Objects.requireNonNull(key, "key");
        createPrivateDirectory(dir);
        try {
            return openWriter(dir, key);
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException | EOFException
                | NoSuchFileException e) {
            LOG.error("search index {} cannot be read ({}); it is emptied and rebuilt from the recordings", dir,
                    e.toString());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            return openWriter(dir, key);
        }
    }

    private static LuceneRecordingIndex openWriter(Path dir, IndexKey key) throws IOException {
        Directory directory = FSDirectory.open(dir);
        try {
            boolean reusable = reusable(directory, key);
            IndexWriterConfig config = new IndexWriterConfig()
                    .setIndexSort(LuceneDocuments.ORDER)
                    .setRAMBufferSizeMB(32)
                    .setOpenMode(reusable ? IndexWriterConfig.OpenMode.CREATE_OR_APPEND
                            : IndexWriterConfig.OpenMode.CREATE);
            IndexWriter writer;
            try {
                writer = new IndexWriter(directory, config);
            } catch (LockObtainFailedException e) {
                throw new IndexInUseException("the search index " + dir + " is in use by another process", e);
            }
            try {
                writer.setLiveCommitData(Map.of(VERSION_KEY, VERSION, KEY_ID_KEY, key.id()).entrySet());
                if (!reusable) {
                    // An empty commit now: the writer (which holds the lock) deletes the files of the old commit, so
                    // an old clear index does not stay on disk until the first recording is indexed.
                    writer.commit();
                }
                return new LuceneRecordingIndex(directory, writer, key);
            } catch (IOException | RuntimeException e) {
                writer.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    /** Whether the index in {@code directory} (if any) is of this version and key, so that it is kept. */
    private static boolean reusable(Directory directory, IndexKey key) throws IOException {
        if (!DirectoryReader.indexExists(directory)) {
            return true;
        }
        Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
        String found = data.get(VERSION_KEY);
        if (!VERSION.equals(found)) {
            LOG.warn("search index: version {} found, {} expected; it is rebuilt from the recordings", found, VERSION);
            return false;
        }
        if (!key.id().equals(data.get(KEY_ID_KEY))) {
            LOG.warn("search index: written under another index key ({}, this one is {}); it is rebuilt from the"
                    + " recordings", data.get(KEY_ID_KEY), key.id());
            return false;
        }
        return true;
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            Files.createDirectory(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            // It holds what recordings hold: keep it the owner's alone even if someone opened it up.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Override
    public void add(IndexedRecording recording) throws IOException {
        writer().updateDocuments(new Term(LuceneDocuments.RID, recording.info().id()),
                LuceneDocuments.of(recording, key.codec()));
    }

    @Override
    public void remove(String recordingId) throws IOException {
        writer().deleteDocuments(new Term(LuceneDocuments.RID, recordingId));
    }

    @Override
    public void commit() throws IOException {
        writer().commit();
        searchers.maybeRefreshBlocking();
    }

    @Override
    public Set<String> recordingIds() throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher s = searchers.acquire();
        try {
            Query q = LuceneDocuments.recordings();
            int count = s.count(q);
            Set<String> ids = new HashSet<>();
            if (count == 0) {
                return ids;
            }
            TopDocs all = s.search(q, count);
            StoredFields stored = s.storedFields();
            for (ScoreDoc sd : all.scoreDocs) {
                ids.add(stored.document(sd.doc, Set.of(LuceneDocuments.RID)).get(LuceneDocuments.RID));
            }
            return ids;
        } finally {
            searchers.release(s);
        }
    }

    @Override
    public SearchResult search(SearchQuery query) throws IOException {
        BlindCodec codec = key.codec();
        Query candidates = LuceneDocuments.candidates(query, codec);
        String folded = Trigrams.fold(query.text());
        int page = Math.max(MIN_PAGE, query.limit() + 1);
        List<SearchHit> hits = new ArrayList<>();
        IndexSearcher s = searchers.acquire();
        try {
            StoredFields stored = s.storedFields();
            FieldDoc after = null;
            int examined = 0;
            while (examined < MAX_EXAMINED) {
                TopDocs found = s.searchAfter(after, candidates, page, LuceneDocuments.ORDER);
                for (ScoreDoc sd : found.scoreDocs) {
                    examined++;
                    Document d = stored.document(sd.doc);
                    String line = codec.open(LuceneDocuments.aad(d), LuceneDocuments.sealedText(d));
                    if (!Trigrams.contains(line, folded)) {
                        continue;
                    }
                    if (hits.size() == query.limit()) {
                        return new SearchResult(hits, true);
                    }
                    hits.add(LuceneDocuments.hit(d, line));
                }
                if (found.scoreDocs.length < page) {
                    return new SearchResult(hits, false);
                }
                after = (FieldDoc) found.scoreDocs[found.scoreDocs.length - 1];
            }
            LOG.warn("search index: a search stopped after {} candidates with {} hits", examined, hits.size());
            return new SearchResult(hits, true);
        } finally {
            searchers.release(s);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            searchers.close();
            if (writer != null) {
                writer.close();
            }
        } finally {
            directory.close();
        }
    }
}
