package dev.portier.access.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands audit events from command-line tools to the process that holds the audit log.
 *
 * <p>The log has one writer (an OS file lock): while the gateway runs, {@code portier pseudonym resolve} and other
 * audited tools cannot append to it. They {@link #post} the event as a file in {@code <audit>/inbox/} (written to a
 * temporary name, forced, then renamed, so a reader never sees half an event) and wait until it is taken. The
 * holder of the log {@link #drainInto drains} the inbox: it claims a file by renaming it (so the poster cannot
 * withdraw it any more), appends the event to the chain, and deletes the claim: the poster sees the event
 * {@link #recorded} once both names are gone. A tool that gives
 * up {@link #withdraw withdraws} its file; if the rename already happened, the event is recorded.
 *
 * <p>A crash between appending and deleting a claim leaves the claim, which the next drain records again: events
 * are recorded at least once, never lost. Anyone who can write the inbox can write the data directory (0700), so
 * posted events are trusted like the tool that wrote them; each is marked {@code via: inbox}.
 *
 * <p>Threading: one drainer at a time (the log's holder); posting is safe from any process.
 */
public final class AuditInbox {
    static final String DIR = "inbox";
    private static final String EVENT = ".event.json";
    private static final String CLAIMED = ".claimed";
    private static final String REJECTED = ".rejected";
    private static final int MAX_EVENT_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(AuditInbox.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final Path dir;

    public AuditInbox(Path auditDir) {
        this.dir = auditDir.resolve(DIR);
    }

    /** Leaves {@code event} for the log's holder; returns the file to watch with {@link #taken}. */
    public Path post(AuditEvent event) throws AuditException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("time", (event.time() == null ? Instant.now() : event.time()).toString());
        json.put("type", event.type());
        json.put("actor", event.actor());
        json.put("target", event.target());
        json.put("sessionId", event.sessionId());
        json.put("requestId", event.requestId());
        json.put("decision", event.decision());
        json.put("reason", event.reason());
        json.put("details", event.details());
        String name = System.currentTimeMillis() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path tmp = dir.resolve("." + name + ".tmp");
        Path file = dir.resolve(name + EVENT);
        try {
            createDirectory();
            byte[] bytes = MAPPER.writeValueAsBytes(json);
            if (bytes.length > MAX_EVENT_BYTES) {
                throw new AuditException("audit event " + event.type() + " is larger than " + MAX_EVENT_BYTES
                        + " bytes");
            }
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (AtomicMoveNotSupportedException e) {
            throw new AuditException("the file system of " + dir + " cannot rename files atomically", e);
        } catch (IOException e) {
            throw new AuditException("cannot leave the audit event in " + dir + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                LOG.warn("cannot remove temporary file {}: {}", tmp, e.getMessage());
            }
        }
    }

    /** True once the log's holder has appended the posted event to the log. */
    public boolean recorded(Path posted) {
        return !Files.exists(posted) && !Files.exists(claimOf(posted));
    }

    private static Path claimOf(Path posted) {
        return posted.resolveSibling(posted.getFileName() + CLAIMED);
    }

    /** Takes a posted event back; false if the holder already claimed it (it is, or will be, recorded). */
    public boolean withdraw(Path posted) {
        try {
            Files.delete(posted);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.warn("cannot withdraw audit event {}: {}", posted, e.getMessage());
            return false;
        }
    }

    /**
     * Appends every waiting event to {@code log}, oldest first, and removes it from the inbox.
     *
     * @return how many events were recorded
     * @throws AuditException if the log refuses an event; that event stays in the inbox for the next drain
     */
    public int drainInto(AuditSink log) throws AuditException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int recorded = 0;
        for (Path file : waiting()) {
            Path claim = file;
            if (file.getFileName().toString().endsWith(EVENT)) {
                claim = claimOf(file);
                try {
                    Files.move(file, claim, StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException e) {
                    continue; // withdrawn meanwhile
                } catch (IOException e) {
                    throw new AuditException("cannot claim audit event " + file + ": " + e.getMessage(), e);
                }
            }
            AuditEvent event;
            try {
                event = read(claim);
            } catch (AuditException e) {
                // A file nobody can read must not block the events behind it: set it aside and say so.
                reject(claim, e.getMessage(), log);
                continue;
            }
            log.record(event);
            try {
                Files.delete(claim);
            } catch (IOException e) {
                throw new AuditException("recorded but cannot remove audit event " + claim + ": "
                        + e.getMessage(), e);
            }
            recorded++;
        }
        return recorded;
    }

    private static void reject(Path claim, String problem, AuditSink log) throws AuditException {
        Path aside = claim.resolveSibling(claim.getFileName() + REJECTED);
        try {
            Files.move(claim, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AuditException("cannot set aside unreadable audit event " + claim + ": " + e.getMessage(), e);
        }
        LOG.error("audit inbox: {}; kept as {}", problem, aside);
        log.record(AuditEvent.of("audit.inbox-rejected", "portier", null, null, null, problem,
                Map.of("file", aside.getFileName().toString())));
    }

    private List<Path> waiting() throws AuditException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + EVENT + "*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(EVENT) || n.endsWith(EVENT + CLAIMED)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new AuditException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        // Names start with the posting time in milliseconds: oldest first (ties in any order).
        files.sort((a, b) -> Long.compare(postedAt(a), postedAt(b)));
        return files;
    }

    private static long postedAt(Path p) {
        String n = p.getFileName().toString();
        int dash = n.indexOf('-');
        try {
            return Long.parseLong(dash > 0 ? n.substring(0, dash) : n);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static AuditEvent read(Path file) throws AuditException {
        try {
            if (Files.size(file) > MAX_EVENT_BYTES) {
                throw new AuditException("audit event " + file + " is larger than " + MAX_EVENT_BYTES + " bytes");
            }
            Map<String, Object> m = MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
            Map<String, Object> details = new LinkedHashMap<>();
            if (m.get("details") instanceof Map<?, ?> d) {
                d.forEach((k, v) -> {
                    if (v != null) {
                        details.put(String.valueOf(k), v);
                    }
                });
            }
            details.put("via", "inbox");
            String type = string(m, "type");
            if (type == null || type.isBlank()) {
                throw new AuditException("audit event " + file + " has no type");
            }
            return new AuditEvent(Instant.parse(string(m, "time")), type, string(m, "actor"), string(m, "target"),
                    string(m, "sessionId"), string(m, "requestId"), string(m, "decision"), string(m, "reason"),
                    details);
        } catch (IOException | RuntimeException e) {
            throw new AuditException("unreadable audit event " + file + ": " + e.getMessage(), e);
        }
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    private void createDirectory() throws IOException {
        createPrivate(dir.getParent());
        createPrivate(dir);
    }

    private static void createPrivate(Path d) throws IOException {
        try {
            Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(d)) {
                throw e;
            }
        }
    }
}
