package dev.portier.recorder.index;

import java.io.IOException;
import java.util.Set;

/**
 * Where searchable lines of recordings are kept and found. {@link LuceneRecordingIndex} keeps them in a local
 * directory, for one gateway node; several nodes would put a shared search service behind this interface.
 * Implementations are thread-safe: one thread adds while others search.
 */
public interface RecordingIndex extends AutoCloseable {
    /** Adds a recording, replacing whatever was indexed under its id; visible and durable after {@link #commit}. */
    void add(IndexedRecording recording) throws IOException;

    /** Drops a recording (it left the store); visible and durable after {@link #commit}. */
    void remove(String recordingId) throws IOException;

    /** Makes what was added or removed durable and visible to searches. */
    void commit() throws IOException;

    /** The ids of the recordings indexed (committed or not). */
    Set<String> recordingIds() throws IOException;

    SearchResult search(SearchQuery query) throws IOException;

    @Override
    void close() throws IOException;

    /** False when opened for searching only (another process writes it): add, remove and commit are refused. */
    default boolean writable() {
        return true;
    }
}
