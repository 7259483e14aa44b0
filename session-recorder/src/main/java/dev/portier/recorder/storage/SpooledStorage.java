package dev.portier.recorder.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The recordings directory as a spool in front of an object store. The recorder writes there as always; once a
 * recording is closed, {@link SpoolUploader} uploads all of its files ({@code <id>.*}, whatever they are) as
 * {@code recordings/<id>.*}, reads each back, writes an {@link UploadReceipt}, and only then may the local
 * content go ({@code keepLocal} after it was last written). The metadata file ({@code <id>.meta.json}) always
 * stays, so listing never needs the network. A read of a recording whose content is gone downloads it back into
 * the directory (checked against the receipt's SHA-256); such a restored copy goes again {@code keepLocal}
 * later. See {@code docs/storage.md}.
 */
public final class SpooledStorage implements RecordingStorage {
    static final String RECORDINGS = "recordings/";

    private final Path dir;
    private final Path receipts;
    private final ObjectStore store;
    private final Duration keepLocal;
    private final LegalHolds holds;
    private final ObjectMapper json = new ObjectMapper();
    private SpoolUploader uploader;

    /**
     * @param keepLocal how long an uploaded (or restored) recording's content stays in the directory after it was
     *                  last written; zero drops it as soon as the store confirmed it
     */
    public SpooledStorage(Path recordingsDir, ObjectStore store, Duration keepLocal) throws IOException {
        this.dir = recordingsDir;
        this.receipts = recordingsDir.resolve("uploads");
        this.store = Objects.requireNonNull(store);
        this.keepLocal = Objects.requireNonNull(keepLocal);
        this.holds = new LegalHolds(recordingsDir, store);
        LocalFiles.createPrivateDirectories(receipts);
    }

    /**
     * Starts the background uploader (the gateway does; the CLI only reads). It first scans the directory, so
     * recordings spooled before a restart are uploaded too.
     *
     * @param retryMax the longest wait between two attempts of one recording
     */
    public synchronized void startUploads(Catalog catalog, UploadListener listener, Duration retryMax) {
        if (uploader == null) {
            uploader = new SpoolUploader(this, catalog, listener, retryMax);
            uploader.start();
        }
    }

    @Override
    public String location() {
        return store.location();
    }

    @Override
    public Location locate(String id) {
        return Files.exists(receiptFile(id)) ? Location.UPLOADED : Location.SPOOLED;
    }

    @Override
    public void restore(String id) throws IOException {
        Optional<UploadReceipt> receipt = receipt(id);
        if (receipt.isEmpty()) {
            return; // not uploaded: the local copy is the only one
        }
        for (UploadReceipt.Entry e : receipt.get().files()) {
            Path file = dir.resolve(e.name());
            if (Files.exists(file)) {
                continue;
            }
            Path tmp = LocalFiles.temporary(file);
            try {
                String sha256 = store.get(RECORDINGS + e.name(), tmp);
                if (!sha256.equals(e.sha256())) {
                    throw new ObjectStoreException(store.location() + " holds a copy of " + e.name() + " that differs"
                            + " from the one uploaded on " + receipt.get().uploaded() + " (SHA-256 mismatch): it was"
                            + " altered or damaged in the store, so it is not used", false, null);
                }
                LocalFiles.moveIntoPlace(tmp, file);
            } catch (NoSuchFileException missing) {
                throw new ObjectStoreException(store.location() + " no longer holds " + e.name() + ", uploaded on "
                        + receipt.get().uploaded() + "; the recording cannot be read", false, missing);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    @Override
    public void closed(String id) {
        SpoolUploader u;
        synchronized (this) {
            u = uploader;
        }
        if (u != null) {
            u.wake(id);
        }
    }

    @Override
    public void delete(String id) throws IOException {
        for (String key : store.list(RECORDINGS + id + ".")) {
            store.delete(key);
        }
        Files.deleteIfExists(receiptFile(id));
        LocalFiles.deleteRecording(dir, id);
    }

    @Override
    public LegalHolds holds() {
        return holds;
    }

    /** Uploads every file of a closed recording and confirms each; on the uploader thread. */
    UploadReceipt upload(String id) throws IOException {
        List<Path> files = LocalFiles.filesOf(dir, id);
        if (files.isEmpty()) {
            throw new NoSuchFileException(dir.resolve(id + ".*").toString(), null, "no files to upload");
        }
        List<UploadReceipt.Entry> entries = new ArrayList<>();
        List<BasicFileAttributes> before = new ArrayList<>();
        for (Path f : files) {
            before.add(Files.readAttributes(f, BasicFileAttributes.class));
            FileDigest digest = FileDigest.of(f);
            store.put(RECORDINGS + f.getFileName(), f, digest);
            entries.add(new UploadReceipt.Entry(f.getFileName().toString(), digest.size(), digest.sha256Hex()));
        }
        List<Path> now = LocalFiles.filesOf(dir, id);
        for (int i = 0; i < files.size(); i++) {
            BasicFileAttributes after = Files.readAttributes(files.get(i), BasicFileAttributes.class);
            if (!now.equals(files) || after.size() != before.get(i).size()
                    || !after.lastModifiedTime().equals(before.get(i).lastModifiedTime())) {
                throw new IOException("recording " + id + " changed while it was uploaded; it will be uploaded again");
            }
        }
        UploadReceipt receipt = new UploadReceipt(id, store.location(), Instant.now(), entries);
        receipt.write(json, receiptFile(id));
        return receipt;
    }

    /**
     * Drops the local content of an uploaded recording once it is {@code keepLocal} old: only files the receipt
     * names, unchanged since (same size), and never the metadata.
     */
    void evictIfDue(String id, Instant now) throws IOException {
        Optional<UploadReceipt> receipt = receipt(id);
        if (receipt.isEmpty()) {
            return;
        }
        for (Path f : LocalFiles.filesOf(dir, id)) {
            String name = f.getFileName().toString();
            Optional<UploadReceipt.Entry> entry = receipt.get().entry(name);
            if (name.equals(id + LocalFiles.META) || entry.isEmpty()) {
                continue;
            }
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            if (a.size() == entry.get().size() && !a.lastModifiedTime().toInstant().plus(keepLocal).isAfter(now)) {
                Files.deleteIfExists(f);
            }
        }
    }

    boolean uploaded(String id) {
        return Files.exists(receiptFile(id));
    }

    /** @throws IOException if the receipt exists but cannot be read */
    Optional<UploadReceipt> receipt(String id) throws IOException {
        try {
            return Optional.of(UploadReceipt.read(json, receiptFile(id)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private Path receiptFile(String id) {
        if (!LocalFiles.isId(id)) {
            throw new IllegalArgumentException("not a recording id");
        }
        return receipts.resolve(id + ".json");
    }

    @Override
    public void close() {
        SpoolUploader u;
        synchronized (this) {
            u = uploader;
            uploader = null;
        }
        if (u != null) {
            u.stop();
        }
        store.close();
    }
}
