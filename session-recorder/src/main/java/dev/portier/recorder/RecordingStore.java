package dev.portier.recorder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import dev.portier.recorder.asciicast.AsciicastExport;
import dev.portier.recorder.asciicast.AsciicastHeader;
import dev.portier.recorder.seal.CheckpointSigner;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.recorder.seal.RecordingChain;
import dev.portier.recorder.seal.RecordingVerifier;
import dev.portier.recorder.seal.Verdict;
import java.io.IOException;
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
 * Portier's header extension), {@code <id>.chain} (its evidence: hash chain and signed checkpoints, see
 * {@code docs/evidence.md}), {@code <id>.meta.json} (summary for listing) and, when the channel had
 * file operations, {@code <id>.events.jsonl}. Owns the writer and sync threads shared by all its recorders.
 */
public final class RecordingStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingStore.class);
    private static final int ID_ATTEMPTS = 5;

    private final Path dir;
    private final RecorderSettings settings;
    private final ChannelOpener opener;
    private final CheckpointSigner signer;
    private final ObjectMapper json = new ObjectMapper();
    private final Flusher flusher;
    private final Set<BufferedRecorder> open = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> closedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean closed;

    /**
     * A store that signs with a key of its own, made up now and never kept: for reading (list, export, verify)
     * and for tests. A gateway passes the evidence key from the vault.
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
        this(recordingsDir, settings, signer, RecordingFiles::createNew);
    }

    RecordingStore(Path recordingsDir, RecorderSettings settings, ChannelOpener opener) {
        this(recordingsDir, settings, EvidenceSigner.generate(), opener);
    }

    RecordingStore(Path recordingsDir, RecorderSettings settings, CheckpointSigner signer, ChannelOpener opener) {
        this.dir = recordingsDir;
        this.settings = Objects.requireNonNull(settings);
        this.signer = Objects.requireNonNull(signer);
        this.opener = opener;
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
                byte[] header = json.writeValueAsBytes(AsciicastHeader.of(json, id, meta));
                writer = RecordingWriter.create(dir.resolve(id + RecordingFiles.CAST),
                        dir.resolve(id + RecordingFiles.CHAIN), dir.resolve(id + RecordingFiles.EVENTS), opener,
                        withNewline(header), new RecordingChain(id, signer));
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

    /** Recordings sorted by start time; a recording whose metadata cannot be read is logged and left out. */
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

    /** Writes recording {@code id} as a plain asciicast v2 file (no Portier header extension). */
    public void export(String id, OutputStream out) throws IOException {
        Path cast = castFile(id);
        if (!Files.exists(cast)) {
            throw new NoSuchFileException(cast.toString(), null, "no recording " + id);
        }
        AsciicastExport.writePlain(json, cast, out);
    }

    /** @throws IllegalArgumentException if {@code id} is not a recording id */
    /**
     * Marks recordings a crash left open (status {@code recording}, from a previous run) as
     * {@code interrupted}, with the time of their last write as the end. Call once at startup, before any
     * session opens. Nothing recorded is changed: only the summary file.
     *
     * @return the recordings marked
     */
    public List<RecordingInfo> markInterrupted() throws IOException {
        List<RecordingInfo> marked = new java.util.ArrayList<>();
        for (RecordingInfo r : list()) {
            if (!MetaFile.RECORDING.equals(r.status())) {
                continue;
            }
            Path metaFile = dir.resolve(r.id() + RecordingFiles.META);
            com.fasterxml.jackson.databind.node.ObjectNode node =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(metaFile.toFile());
            java.time.Instant end = java.nio.file.Files.getLastModifiedTime(castFile(r.id())).toInstant();
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

    public Path castFile(String id) {
        if (!RecordingId.isValid(id)) {
            throw new IllegalArgumentException("not a recording id: " + id);
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
        Path cast = castFile(id);
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
        for (Consumer<String> listener : closedListeners) {
            try {
                listener.accept(recorder.id());
            } catch (RuntimeException e) {
                LOG.error("a listener failed on the close of recording {}", recorder.id(), e);
            }
        }
    }

    void writeMeta(MetaFile meta, Path file) throws IOException {
        meta.write(json, file);
    }

    private static byte[] withNewline(byte[] line) {
        byte[] out = new byte[line.length + 1];
        System.arraycopy(line, 0, out, 0, line.length);
        out[line.length] = '\n';
        return out;
    }
}
