package dev.portier.recorder.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A bucket under a key prefix, with the few operations the spool needs. Keys are relative to the prefix. Every
 * call blocks on the network: never call one on an SSH I/O thread. Failures of the store (unreachable, refused,
 * a copy that does not match) are {@link ObjectStoreException}s. Thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Uploads {@code file} as {@code key}, replacing any object there, and returns only once the store has
     * confirmed it holds exactly these bytes ({@code digest}'s size and checksums).
     */
    void put(String key, Path file, FileDigest digest) throws IOException;

    /**
     * Downloads {@code key} into {@code target}, which must not exist; it is created readable by its owner only.
     *
     * @return the SHA-256 (hex) of the bytes written
     * @throws java.nio.file.NoSuchFileException if there is no such object
     */
    String get(String key, Path target) throws IOException;

    /** The keys starting with {@code keyPrefix}, sorted. */
    List<String> list(String keyPrefix) throws IOException;

    boolean exists(String key) throws IOException;

    /** Deletes {@code key}; an absent key is not an error. */
    void delete(String key) throws IOException;

    /** {@code s3://bucket/prefix}, for messages and audit events; never a credential. */
    String location();

    @Override
    void close();
}
