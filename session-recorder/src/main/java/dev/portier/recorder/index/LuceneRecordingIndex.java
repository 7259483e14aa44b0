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
    /** Changes whenever documents change shape; an index of another version is rebuilt from the recordings. */
    static final String VERSION = "1";
    static final String VERSION_KEY = "portier.index.version";
    /** Candidates looked at per search at most, so that a pathological text cannot hold a thread for long. */
    static final int MAX_EXAMINED = 200_000;
    private static final int MIN_PAGE = 256;

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;

    private LuceneRecordingIndex(Directory directory, IndexWriter writer) throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
    }

    /**
     * Opens the index in {@code dir}, creating it (0700) when absent. An index written by another version of
     * Portier, or one that cannot be read (a damaged file), starts empty and is rebuilt by the indexer: it only
     * holds what the recordings hold, and a gateway must not fail to start over it.
     *
     * @throws IndexInUseException when another process (a running gateway) writes it
     */
    public static LuceneRecordingIndex open(Path dir) throws IOException {
        createPrivateDirectory(dir);
        try {
            return openWriter(dir);
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException | EOFException
                | NoSuchFileException e) {
            LOG.error("search index {} cannot be read ({}); it is emptied and rebuilt from the recordings", dir,
                    e.toString());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            return openWriter(dir);
        }
    }

    private static LuceneRecordingIndex openWriter(Path dir) throws IOException {
        Directory directory = FSDirectory.open(dir);
        try {
            IndexWriterConfig config = new IndexWriterConfig()
                    .setIndexSort(LuceneDocuments.ORDER)
                    .setRAMBufferSizeMB(32)
                    .setOpenMode(sameVersion(directory) ? IndexWriterConfig.OpenMode.CREATE_OR_APPEND
                            : IndexWriterConfig.OpenMode.CREATE);
            IndexWriter writer;
            try {
                writer = new IndexWriter(directory, config);
            } catch (LockObtainFailedException e) {
                throw new IndexInUseException("the search index " + dir + " is in use by another process", e);
            }
            writer.setLiveCommitData(Map.of(VERSION_KEY, VERSION).entrySet());
            return new LuceneRecordingIndex(directory, writer);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    private static boolean sameVersion(Directory directory) throws IOException {
        if (!DirectoryReader.indexExists(directory)) {
            return true;
        }
        String found = SegmentInfos.readLatestCommit(directory).getUserData().get(VERSION_KEY);
        if (!VERSION.equals(found)) {
            LOG.warn("search index: version {} found, {} expected; it is rebuilt from the recordings", found, VERSION);
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
        writer.updateDocuments(new Term(LuceneDocuments.RID, recording.info().id()), LuceneDocuments.of(recording));
    }

    @Override
    public void remove(String recordingId) throws IOException {
        writer.deleteDocuments(new Term(LuceneDocuments.RID, recordingId));
    }

    @Override
    public void commit() throws IOException {
        writer.commit();
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
        Query candidates = LuceneDocuments.candidates(query);
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
                    if (!Trigrams.contains(d.get(LuceneDocuments.TEXT), folded)) {
                        continue;
                    }
                    if (hits.size() == query.limit()) {
                        return new SearchResult(hits, true);
                    }
                    hits.add(LuceneDocuments.hit(d));
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
            writer.close();
        } finally {
            directory.close();
        }
    }
}
