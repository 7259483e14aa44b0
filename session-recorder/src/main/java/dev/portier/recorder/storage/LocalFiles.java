package dev.portier.recorder.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The recordings directory as the spool sees it: a recording is every regular file named {@code <id>.*}, whatever
 * its format (cast, chain, events, metadata, and whatever sidecar a later format adds). Files are created 0600 and
 * directories 0700, as the recorder does; temporary files start with a dot, so they never count as a recording's.
 */
public final class LocalFiles {
    /** The shape of {@code RecordingId}: the only ids accepted, so no id can name a path elsewhere. */
    private static final Pattern ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
    /** What may follow {@code <id>.} in a file name the spool uploads or restores. */
    private static final Pattern SUFFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final FileAttribute<Set<PosixFilePermission>> DIR_0700 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE_0600 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    static final String META = ".meta.json";

    private LocalFiles() {
    }

    static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** True for {@code <id>.<suffix>} with a plain suffix: no separator, no leading dot. */
    static boolean isFileOf(String id, String name) {
        return name.startsWith(id + ".") && SUFFIX.matcher(name.substring(id.length() + 1)).matches()
                && !name.contains("..");
    }

    /**
     * The regular files of recording {@code id}, sorted by name. Symbolic links are left out: a link planted in
     * the spool must not make Portier upload (or later delete) a file from elsewhere.
     */
    static List<Path> filesOf(Path dir, String id) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, id + ".*")) {
            for (Path p : stream) {
                if (isFileOf(id, p.getFileName().toString()) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** Creates {@code file} 0600 from the start; fails if it exists. */
    public static FileChannel createNew(Path file) throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_0600);
    }

    /** Creates {@code dir} and its missing parents 0700 from the start. */
    public static void createPrivateDirectories(Path dir) throws IOException {
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

    /** A name for a temporary file beside {@code file}; it starts with a dot. */
    static Path temporary(Path file) {
        return file.resolveSibling("." + file.getFileName() + "."
                + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + ".tmp");
    }

    /** Moves a complete temporary file into place: readers see the old file or the new one, never a part. */
    static void moveIntoPlace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + file.getParent() + " cannot replace files atomically", e);
        }
    }

    /** Replaces {@code file} by {@code content}, synced, atomically. */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = temporary(file);
        try {
            try (FileChannel ch = createNew(tmp)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            }
            moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes every file of recording {@code id}, its metadata last, so that it stays listed until all is gone. */
    static void deleteRecording(Path dir, String id) throws IOException {
        Path meta = null;
        for (Path p : filesOf(dir, id)) {
            if (p.getFileName().toString().equals(id + META)) {
                meta = p;
            } else {
                Files.deleteIfExists(p);
            }
        }
        if (meta != null) {
            Files.deleteIfExists(meta);
        }
    }
}
