package dev.portier.recorder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.portier.recorder.asciicast.AsciicastExport;
import dev.portier.recorder.crypt.RecordingKeys;
import dev.portier.recorder.crypt.RecordingReader;
import dev.portier.recorder.seal.CheckpointSigner;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.recorder.seal.RecordingVerifier;
import dev.portier.recorder.seal.Verdict;
import dev.portier.recorder.storage.Catalog;
import dev.portier.recorder.storage.RecordingStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recordings directory ({@code <data>/recordings}): per recording {@code <id>.cast} (asciicast v2 with
 * Portier's header extension, encrypted unless the store writes plain), {@code <id>.chain} (its evidence: hash
 * chain and signed checkpoints over the bytes as stored, see {@code docs/evidence.md}), {@code <id>.meta.json}
 * (summary for listing, never session content) and, when the channel had file operations,
 * {@code <id>.events.jsonl} (encrypted like the cast). Every file of a recording is named {@code <id>.<suffix>}.
 * Content is read through {@link #openPlain} and {@link #openEvents}, which decrypt. Owns the writer and sync
 * threads shared by all its recorders. Where closed recordings are kept is its {@link RecordingStorage}
 * ({@code docs/storage.md}): reads restore a recording whose local copy was dropped after upload, so every reader
 * sees the same files either way.
 */
public final class RecordingStore implements AutoCloseable, Catalog {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingStore.class);
    private static final int ID_ATTEMPTS = 5;
    private static final RecordingKeys NO_KEYS = RecordingKeys.unavailable("this store was opened without the"
            + " master key; read it with the gateway's data directory (portier export)");

    private final Path dir;
    private final RecorderSettings settings;
    private final ChannelOpener opener;
    private final CheckpointSigner signer;
    private final RecordingKeys keys;
    /** Whether new recordings are encrypted (with {@link #keys}). */
    private final boolean encrypt;
    private final ObjectMapper json = new ObjectMapper();
    private final Flusher flusher;
    private final Set<BufferedRecorder> open = ConcurrentHashMap.newKeySet();
    private final RecordingStorage storage;
    private final List<Consumer<String>> closedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean closed;

    /**
     * A store that signs with a key of its own, made up now and never kept, writes plain recordings and reads no
     * encrypted content (it lists and verifies them): for tools and tests. A gateway passes the evidence key and the
     * recording keys from the vault.
     *
     * @throws UncheckedIOException if the directory cannot be created (the gateway must not start)
     */
    public RecordingStore(Path recordingsDir) {
        this(recordingsDir, RecorderSettings.DEFAULTS);
    }

    public RecordingStore(Path recordingsDir, RecorderSettings settings) {
        this(recordingsDir, EvidenceSigner.generate(), settings);
    }

    /** @param signer signs the checkpoints of every recording (the evidence key, see {@code docs/evidence.md}) */
    public RecordingStore(Path recordingsDir, CheckpointSigner signer, RecorderSettings settings) {
        this(recordingsDir, signer, settings, NO_KEYS, false);
    }

    /** @param storage where closed recordings go; the store closes it with itself */
    public RecordingStore(Path recordingsDir, CheckpointSigner signer, RecorderSettings settings,
            RecordingStorage storage) {
        this(recordingsDir, signer, settings, NO_KEYS, false, storage);
    }

    /** For reading what a gateway recorded (export, replay): {@code keys} unwrap the data keys of encrypted ones. */
    public RecordingStore(Path recordingsDir, RecordingKeys keys) {
        this(recordingsDir, EvidenceSigner.generate(), RecorderSettings.DEFAULTS, keys, true);
    }

    /**
     * @param keys    wrap the data key of each new encrypted recording and unwrap it to read one
     * @param encrypt whether new recordings are encrypted; recordings of either format are read
     */
    public RecordingStore(Path recordingsDir, CheckpointSigner signer, RecorderSettings settings, RecordingKeys keys,
            boolean encrypt) {
        this(recordingsDir, signer, settings, keys, encrypt, RecordingStorage.local(recordingsDir));
    }

    /** The gateway's store: {@code storage} is where closed recordings go; the store closes it with itself. */
    public RecordingStore(Path recordingsDir, CheckpointSigner signer, RecorderSettings settings, RecordingKeys keys,
            boolean encrypt, RecordingStorage storage) {
        this(recordingsDir, settings, signer, RecordingFiles::createNew, keys, encrypt, storage);
    }

    RecordingStore(Path recordingsDir, RecorderSettings settings, ChannelOpener opener) {
        this(recordingsDir, settings, EvidenceSigner.generate(), opener, NO_KEYS, false);
    }

    RecordingStore(Path recordingsDir, RecorderSettings settings, CheckpointSigner signer, ChannelOpener opener) {
        this(recordingsDir, settings, signer, opener, NO_KEYS, false);
    }

    RecordingStore(Path recordingsDir, RecorderSettings settings, CheckpointSigner signer, ChannelOpener opener,
            RecordingKeys keys, boolean encrypt) {
        this(recordingsDir, settings, signer, opener, keys, encrypt, RecordingStorage.local(recordingsDir));
    }

    private RecordingStore(Path recordingsDir, RecorderSettings settings, CheckpointSigner signer,
            ChannelOpener opener, RecordingKeys keys, boolean encrypt, RecordingStorage storage) {
        this.dir = recordingsDir;
        this.settings = Objects.requireNonNull(settings);
        this.signer = Objects.requireNonNull(signer);
        this.keys = Objects.requireNonNull(keys);
        this.encrypt = encrypt;
        this.opener = opener;
        this.storage = Objects.requireNonNull(storage);
        try {
            RecordingFiles.createPrivateDirectories(recordingsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the recordings directory " + recordingsDir, e);
        }
        this.flusher = new Flusher(settings.flushInterval());
    }

    /**
     * Starts a recording. {@code onAsyncFailure} is called at most once, from a store thread (or from
     * {@code close}), if the recording later cannot be written; it must not block (end the session
     * asynchronously).
     *
     * @throws RecorderException if the recording cannot be created: the session must not start
     */
    public SessionRecorder open(RecordingMetadata meta, Consumer<RecorderException> onAsyncFailure)
            throws RecorderException {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(onAsyncFailure, "onAsyncFailure");
        Instant start = meta.start() != null ? meta.start() : Instant.now();
        long startNanos = System.nanoTime();
        for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
            String id = RecordingId.next(start);
            RecordingWriter writer;
            try {
                writer = NewRecording.create(dir, id, meta, json, opener, signer, encrypt ? keys : null);
            } catch (FileAlreadyExistsException e) {
                continue;
            } catch (IOException e) {
                throw new RecorderException("cannot start a recording in " + dir + ": " + e.getMessage(), e);
            }
            return register(meta, id, start, startNanos, writer, onAsyncFailure);
        }
        throw new RecorderException("cannot find a free recording id in " + dir);
    }

    private SessionRecorder register(RecordingMetadata meta, String id, Instant start, long startNanos,
            RecordingWriter writer, Consumer<RecorderException> onAsyncFailure) throws RecorderException {
        MetaFile opened = new MetaFile(id, meta, start, null, MetaFile.RECORDING, null, null, 0, 0);
        Path metaFile = dir.resolve(id + RecordingFiles.META);
        RecordingBuffer buffer = new RecordingBuffer(json, startNanos, settings, meta.recordInput());
        BufferedRecorder recorder = new BufferedRecorder(opened, metaFile, this, buffer, writer, settings,
                onAsyncFailure);
        try {
            opened.write(json, metaFile);
        } catch (IOException e) {
            recorder.close(null, "metadata not writable");
            throw new RecorderException("cannot start a recording in " + dir + ": " + e.getMessage(), e);
        }
        synchronized (this) {
            if (!closed) {
                open.add(recorder);
                flusher.register(recorder);
                return recorder;
            }
        }
        recorder.close(null, "gateway shutdown");
        throw new RecorderException("the recording store is closed (gateway shutting down)");
    }

    /** Where closed recordings are kept, their upload state and their legal holds. */
    public RecordingStorage storage() {
        return storage;
    }

    /** Recordings sorted by start time; a recording whose metadata cannot be read is logged and left out. */
    @Override
    public List<RecordingInfo> list() throws IOException {
        List<RecordingInfo> infos = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + RecordingFiles.META)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!RecordingId.isValid(name.substring(0, name.length() - RecordingFiles.META.length()))) {
                    continue;
                }
                try {
                    infos.add(MetaFile.readInfo(json, file));
                } catch (IOException e) {
                    LOG.warn("recording metadata {} is unreadable and not listed: {}", file, e.toString());
                }
            }
        }
        infos.sort(Comparator.comparing(RecordingInfo::start).thenComparing(RecordingInfo::id));
        return infos;
    }

    /**
     * @return the recording, or empty if {@code id} is not a recording id or there is no such recording
     * @throws UncheckedIOException if its metadata exists but cannot be read
     */
    @Override
    public Optional<RecordingInfo> find(String id) {
        if (!RecordingId.isValid(id)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MetaFile.readInfo(json, dir.resolve(id + RecordingFiles.META)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the metadata of recording " + id, e);
        }
    }

    /**
     * Writes recording {@code id} as a plain asciicast v2 file (no Portier header extension), decrypted.
     *
     * @throws NoSuchFileException if there is no such recording
     * @throws dev.portier.recorder.crypt.RecordingCryptoException if it is encrypted and cannot be decrypted (no
     *         or another master key, altered chunks); output already written is then incomplete
     */
    public void export(String id, OutputStream out) throws IOException {
        try (InputStream in = openPlain(id)) {
            in.transferTo(out);
        }
    }

    /**
     * Recording {@code id} as a stream of plain asciicast v2, as {@link #export} writes it: for consumers that
     * process it as it comes (replay, indexing). The caller closes it.
     *
     * @throws NoSuchFileException if there is no such recording
     * @throws dev.portier.recorder.crypt.RecordingCryptoException if it is encrypted and its key cannot be unwrapped
     *         (reading can fail with it later, at an altered chunk)
     */
    public InputStream openPlain(String id) throws IOException {
        Path cast = restoredCastFile(id);
        if (!Files.exists(cast)) {
            throw new NoSuchFileException(cast.toString(), null, "no recording " + id);
        }
        return AsciicastExport.plain(json, RecordingReader.openCast(cast, id, keys, closed(id)), "recording " + id);
    }

    /**
     * The structured session events of recording {@code id} (file operations), one JSON object per line, decrypted;
     * empty if the recording has none.
     */
    public InputStream openEvents(String id) throws IOException {
        Path cast = restoredCastFile(id);
        Path events = dir.resolve(id + RecordingFiles.EVENTS);
        if (!Files.exists(events)) {
            if (!Files.exists(cast)) {
                throw new NoSuchFileException(cast.toString(), null, "no recording " + id);
            }
            return InputStream.nullInputStream();
        }
        return RecordingReader.openEvents(events, cast, id, keys, closed(id));
    }

    /** Whether recording {@code id} was closed: its chain ends in the final checkpoint (not checked here: verify). */
    private boolean closed(String id) throws IOException {
        return RecordingVerifier.endsWithFinalCheckpoint(chainFile(id));
    }

    /**
     * Marks recordings a crash left open (status {@code recording}, from a previous run) as
     * {@code interrupted}, with the time of their last write as the end. Call once at startup, before any
     * session opens. Nothing recorded is changed: only the summary file.
     *
     * @return the recordings marked
     */
    public List<RecordingInfo> markInterrupted() throws IOException {
        List<RecordingInfo> marked = new ArrayList<>();
        for (RecordingInfo r : list()) {
            if (!MetaFile.RECORDING.equals(r.status())) {
                continue;
            }
            Path metaFile = dir.resolve(r.id() + RecordingFiles.META);
            ObjectNode node = (ObjectNode) json.readTree(metaFile.toFile());
            Instant end = Files.getLastModifiedTime(castFile(r.id())).toInstant();
            node.put("status", INTERRUPTED);
            node.put("end", end.toString());
            node.put("endReason", "the gateway stopped without closing the session (crash or kill)");
            RecordingFiles.replaceAtomically(metaFile, json.writeValueAsBytes(node));
            marked.add(new RecordingInfo(r.id(), r.sessionId(), r.user(), r.target(), r.account(), r.start(), end,
                    INTERRUPTED));
        }
        return marked;
    }

    /** Status of a recording whose gateway stopped without closing it. */
    public static final String INTERRUPTED = "interrupted";

    /**
     * The recording's cast file, restored from the object store first if its local copy was dropped (blocking).
     *
     * @throws IllegalArgumentException if {@code id} is not a recording id
     * @throws UncheckedIOException if it must be restored and cannot be
     */
    public Path castFile(String id) {
        if (!RecordingId.isValid(id)) {
            throw new IllegalArgumentException("not a recording id: " + id);
        }
        try {
            // Whatever files the format has: restore() brings back each one missing, and is a no-op otherwise.
            storage.restore(id);
        } catch (IOException e) {
            throw new UncheckedIOException("recording " + id + " cannot be read: " + e.getMessage(), e);
        }
        return dir.resolve(id + RecordingFiles.CAST);
    }

    /** @throws IllegalArgumentException if {@code id} is not a recording id */
    public Path chainFile(String id) {
        return RecordingVerifier.chainFileOf(castFile(id));
    }

    /**
     * Verifies recording {@code id} against the evidence public key.
     *
     * @throws NoSuchFileException if there is no such recording
     */
    public Verdict verify(String id, ECKey evidencePublicKey) throws IOException {
        Path cast = restoredCastFile(id);
        if (!Files.exists(cast)) {
            throw new NoSuchFileException(cast.toString(), null, "no recording " + id);
        }
        return RecordingVerifier.verify(cast, chainFile(id), evidencePublicKey);
    }

    /** Closes every open recording (status {@code closed}, end reason {@code gateway shutdown}), then the threads. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (BufferedRecorder recorder : List.copyOf(open)) {
            recorder.close(null, "gateway shutdown");
        }
        flusher.stop();
        storage.close();
    }

    /**
     * Calls {@code listener} with the id of every recording this store closes, once its files and final metadata
     * are written (status {@code closed} or {@code failed}); the search index learns of new recordings this way.
     * It runs on the thread that closed the recording, holding its locks: it must only hand the id on.
     */
    public void onClosed(Consumer<String> listener) {
        closedListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void wakeFlusher() {
        flusher.wake();
    }

    /** A recorder was closed: it no longer needs the flusher. */
    void forget(BufferedRecorder recorder) {
        open.remove(recorder);
        flusher.unregister(recorder);
        storage.closed(recorder.id());
        for (Consumer<String> listener : closedListeners) {
            try {
                listener.accept(recorder.id());
            } catch (RuntimeException e) {
                LOG.error("a listener failed on the close of recording {}", recorder.id(), e);
            }
        }
    }

    /** {@link #castFile}, with a restore failure as the {@code IOException} it is. */
    private Path restoredCastFile(String id) throws IOException {
        try {
            return castFile(id);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    void writeMeta(MetaFile meta, Path file) throws IOException {
        meta.write(json, file);
    }
}
