package dev.portier.access.audit;

import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: {@code <auditDir>/audit.jsonl}, one hash-chained JSON event per line (see {@link AuditLine} for
 * the format). Fields come in a fixed order: {@code time type actor target sessionId requestId decision reason},
 * then the details (sorted by key; a detail named like a standard field goes under {@code details}), then
 * {@code prevHash} and {@code hash}. Null fields are left out.
 *
 * <p><b>Durability trade-off.</b> {@link #record} writes the line to the operating system before it returns, so
 * a crash of the JVM loses nothing. It does not fsync: a background thread forces the file to disk at most
 * {@value #FSYNC_INTERVAL_MS} ms after a write, and {@link #close} forces it too. A power loss or kernel crash can
 * therefore lose up to that window of events; an fsync per event would cost milliseconds on every decision and
 * session step. After such a loss the chain still verifies up to the last line on disk, and a torn last line is
 * handled on the next open.
 *
 * <p><b>Reopening.</b> The chain continues from the last line. If that line is unreadable (a torn write), nothing
 * is renamed or removed: a new segment starts with an {@code audit.chain-resumed} event whose {@code prevHash} is
 * the hash of the last valid line and whose details name the bad line ({@code badLine}, {@code badLineOffset},
 * {@code badLines}, {@code problem}); {@link #verify} accepts exactly that shape.
 *
 * <p><b>Checkpoints.</b> With a signer, an {@code audit.checkpoint} event signed with the evidence key follows the
 * events at most {@value #CHECKPOINT_INTERVAL_MS} ms after a write (well within the promised 10 s), and at close,
 * so that the log verifies offline as VALID, TAMPERED or TRUNCATED ({@code docs/evidence.md}). Without a signer
 * (tests, tools) the log is chained but unsigned and never verifies as VALID.
 *
 * <p><b>Threading.</b> {@link #record} is synchronized; one writer per file, enforced with an OS file lock. After
 * a failed write or fsync the log refuses further events (callers fail closed) until it is reopened.
 */
public final class FileAuditLog implements AuditSink, AutoCloseable {
    public static final String FILE_NAME = "audit.jsonl";
    static final long FSYNC_INTERVAL_MS = 200;
    static final long CHECKPOINT_INTERVAL_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(FileAuditLog.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final ScheduledExecutorService syncer;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AuditCheckpointSigner signer;
    private final long checkpointIntervalNanos;
    /** Guarded by this: events written since the last checkpoint. */
    private long unsigned;
    /** Guarded by this. */
    private long lastCheckpointNanos = System.nanoTime();
    /** Guarded by this. */
    private String prevHash;
    /** Guarded by this. */
    private boolean closed;
    private volatile String failure;

    /** An unsigned log (chained, without checkpoints): for tests and tools; a gateway passes a signer. */
    public FileAuditLog(Path auditDir) throws AuditException {
        this(auditDir, null, CHECKPOINT_INTERVAL_MS);
    }

    /** Opens (creating when absent: directory 0700, file 0600) and continues the chain, signing checkpoints. */
    public FileAuditLog(Path auditDir, AuditCheckpointSigner signer) throws AuditException {
        this(auditDir, signer, CHECKPOINT_INTERVAL_MS);
    }

    FileAuditLog(Path auditDir, AuditCheckpointSigner signer, long checkpointIntervalMs) throws AuditException {
        this.file = auditDir.resolve(FILE_NAME);
        this.signer = signer;
        this.checkpointIntervalNanos = TimeUnit.MILLISECONDS.toNanos(checkpointIntervalMs);
        FileChannel ch = null;
        try {
            createDirectory(auditDir);
            boolean existed = Files.exists(file);
            ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), fileAttributes("rw-------"));
            if (posix()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            this.lock = lockOrFail(ch);
            this.channel = ch;
            if (!existed) {
                syncDirectory(auditDir);
            }
            AuditTail.Resume resume = AuditTail.find(ch);
            ch.position(ch.size());
            this.prevHash = resume.prevHash();
            // Events a crash left after the last checkpoint are signed by the next one.
            this.unsigned = resume.lastType() != null && !AuditCheckpoint.TYPE.equals(resume.lastType()) ? 1 : 0;
            if (resume.needsNewline()) {
                writeFully(new byte[] {'\n'});
            }
            if (resume.bad() != null) {
                LOG.warn("audit log {} ended with {} unreadable line(s) from line {}: {}; starting a new chain segment",
                        file, resume.bad().lines(), resume.bad().line(), resume.bad().problem());
                record(resumedEvent(resume.bad()));
                channel.force(false);
                dirty.set(false);
            }
        } catch (IOException | AuditException | RuntimeException e) {
            closeQuietly(ch, e);
            if (e instanceof AuditException ae) {
                throw ae;
            }
            throw new AuditException("cannot open audit log " + file + ": " + e.getMessage(), e);
        }
        this.syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portier-audit-fsync");
            t.setDaemon(true);
            return t;
        });
        syncer.scheduleWithFixedDelay(() -> {
            checkpointIfDue();
            syncIfDirty();
        }, FSYNC_INTERVAL_MS, FSYNC_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Verifies an audit log file: its hash chain and its checkpoints, against the evidence public key. Never
     * throws; an unreadable file is reported TAMPERED.
     */
    public static AuditVerification verify(Path auditFile, ECKey evidenceKey) {
        return AuditVerifier.verify(auditFile, evidenceKey);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void record(AuditEvent event) throws AuditException {
        Objects.requireNonNull(event, "event");
        if (closed) {
            throw new AuditException("audit log " + file + " is closed");
        }
        if (failure != null) {
            throw new AuditException("audit log " + file + " stopped after an earlier failure (" + failure
                    + "); restart Portier to resume it");
        }
        append(event);
        unsigned++;
    }

    /** Writes a checkpoint now if events are waiting for one; {@code last} at close (one is written then anyway). */
    synchronized void checkpoint(boolean last) throws AuditException {
        if (signer == null || unsigned == 0 && !last || closed || failure != null) {
            return;
        }
        Instant now = Instant.now();
        String jws;
        try {
            jws = signer.sign(AuditCheckpoint.payload(prevHash, now, last));
        } catch (RuntimeException e) {
            failure = "cannot sign a checkpoint: " + e.getMessage();
            throw new AuditException("audit log " + file + ": cannot sign a checkpoint: " + e.getMessage(), e);
        }
        append(AuditCheckpoint.event(now, last, jws));
        unsigned = 0;
        lastCheckpointNanos = System.nanoTime();
    }

    private void checkpointIfDue() {
        synchronized (this) {
            if (unsigned == 0 || System.nanoTime() - lastCheckpointNanos < checkpointIntervalNanos) {
                return;
            }
        }
        try {
            checkpoint(false);
        } catch (AuditException e) {
            LOG.error("audit log {}: {}; refusing further events", file, e.getMessage());
        }
    }

    /** Guarded by this. */
    private void append(AuditEvent event) throws AuditException {
        AuditLine.Encoded line = AuditLine.encode(event, Instant.now(), prevHash);
        try {
            writeFully(line.bytes());
        } catch (IOException e) {
            // The file may now end in a torn line; refusing further events keeps the chain recoverable on reopen.
            failure = "write failed: " + e.getMessage();
            throw new AuditException("cannot write audit log " + file + ": " + e.getMessage(), e);
        }
        prevHash = line.hash();
        dirty.set(true);
    }

    /** Forces pending events to disk, then releases the file. Idempotent. */
    @Override
    public void close() throws AuditException {
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                checkpoint(true);
            } catch (AuditException e) {
                LOG.error("audit log {}: no checkpoint at close: {}", file, e.getMessage());
            }
            closed = true;
        }
        syncer.shutdown();
        try {
            if (!syncer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("audit fsync thread for {} did not stop within 5 s", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (FileChannel ch = channel) {
            ch.force(false);
            lock.release();
        } catch (IOException e) {
            throw new AuditException("cannot close audit log " + file + ": " + e.getMessage(), e);
        }
    }

    private void syncIfDirty() {
        if (!dirty.getAndSet(false)) {
            return;
        }
        try {
            // force(false) is fdatasync: it still persists the file length, which appended data needs.
            channel.force(false);
        } catch (IOException e) {
            failure = "fsync failed: " + e.getMessage();
            LOG.error("audit log {}: fsync failed; refusing further events", file, e);
        }
    }

    private void writeFully(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    private static AuditEvent resumedEvent(AuditTail.BadTail bad) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("badLine", bad.line());
        details.put("badLineOffset", bad.offset());
        details.put("badLines", bad.lines());
        details.put("problem", bad.problem());
        return new AuditEvent(Instant.now(), AuditLine.CHAIN_RESUMED, "portier", null, null, null, null,
                "the audit log ended with an unreadable line (line " + bad.line()
                        + ", kept as is); the chain continues from the last valid event", details);
    }

    private FileLock lockOrFail(FileChannel ch) throws IOException, AuditException {
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            // Another component of this process holds it (a gateway embedded beside a tool): hand events over too.
            AuditLogBusyException busy = new AuditLogBusyException("audit log " + file + " is already open in this process");
            busy.initCause(e);
            throw busy;
        }
        if (l == null) {
            throw new AuditLogBusyException("audit log " + file + " is in use by another process");
        }
        return l;
    }

    private static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, fileAttributes("rwx------"));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** Makes the new file's directory entry durable too (best effort: not every file system allows it). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] fileAttributes(String perms) {
        if (!posix()) {
            return new FileAttribute<?>[0];
        }
        Set<PosixFilePermission> p = PosixFilePermissions.fromString(perms);
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(p)};
    }

    private static void closeQuietly(FileChannel ch, Exception cause) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
