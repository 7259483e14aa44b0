package dev.portier.vault;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owner-only files and directories. Permissions are given at creation, never set afterwards, so a secret
 * is never readable by others even for an instant; replacements go through a temporary file and a rename,
 * so a reader sees the old or the new file, never half of one.
 */
final class SecureFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SecureFiles.class);
    private static final FileAttribute<Set<PosixFilePermission>> DIR_0700 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE_0600 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecureFiles() {
    }

    /** Creates {@code dir} and missing parents as 0700; existing directories keep their permissions. */
    static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        try {
            Files.createDirectory(dir, DIR_0700);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** Writes {@code content} to a new 0600 file; fails if {@code file} exists. */
    static void writeNew(Path file, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                FILE_0600)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** A fresh name beside {@code file}, starting with a dot so that listings skip it. */
    static Path tempSibling(Path file) {
        byte[] suffix = new byte[6];
        RANDOM.nextBytes(suffix);
        return file.resolveSibling("." + file.getFileName() + "." + HexFormat.of().formatHex(suffix) + ".tmp");
    }

    /** Replaces {@code file} atomically with a 0600 file holding {@code content}. */
    static void replaceAtomically(Path file, byte[] content) throws IOException {
        Path tmp = tempSibling(file);
        try {
            writeNew(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + file.getParent() + " cannot replace files atomically", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(file.getParent());
    }

    /** Makes a rename durable; best effort, since not every file system lets a directory be opened. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The rename itself succeeded; only its durability across a power loss is uncertain.
            LOG.debug("cannot sync directory {}: {}", dir, e.toString());
        }
    }

    /** The permissions of {@code file} as text if group or others have any access to it, else null. */
    static String groupOrOtherAccess(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        boolean open = perms.stream().anyMatch(p -> !p.name().startsWith("OWNER_"));
        return open ? PosixFilePermissions.toString(perms) : null;
    }
}
