package dev.portier.gateway.transfer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A file operation observed on a transfer channel, recorded as session evidence. {@link #kind()} and
 * {@link #fields()} are what the session recorder stores ({@code SessionRecorder.event(kind, fields)});
 * field values are never null (an absent value is an absent key).
 *
 * <p>Operations that the target refused are reported as {@link Failed}; the event of the operation itself
 * is only reported once the target confirmed it.
 */
public sealed interface TransferEvent {

    TransferProtocol protocol();

    /** Recorder event kind, e.g. {@code sftp.open}, {@code sftp.close}, {@code scp.upload}. */
    String kind();

    /** Recorder fields, in a stable order. */
    Map<String, Object> fields();

    /**
     * A file was opened: the target returned a handle (SFTP) or accepted the file header (SCP).
     *
     * @param handleOrName SFTP: the handle, in hex; SCP: the file name as sent on the wire, relative to the
     *                     command's path ({@code dir/sub/file} inside recursive copies)
     * @param path         SFTP: the path the client opened; SCP: the best resolution of the file on the target
     *                     (see {@link ScpObserver})
     * @param size         SCP: the announced size; SFTP: -1 (unknown)
     * @param permissions  permission bits sent with the open (SFTP create attributes, SCP mode), or null
     */
    record Opened(TransferProtocol protocol, String handleOrName, String path, OpenMode mode, long size,
            Integer permissions) implements TransferEvent {
        public Opened {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(handleOrName, "handleOrName");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(mode, "mode");
        }

        @Override
        public String kind() {
            return protocol.prefix() + ".open";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> f = newFields();
            f.put("path", path);
            f.put(protocol == TransferProtocol.SFTP ? "handle" : "name", handleOrName);
            f.put("mode", mode.toString());
            if (size >= 0) {
                f.put("size", size);
            }
            if (permissions != null) {
                f.put("permissions", FileAttributes.octal(permissions));
            }
            return done(f);
        }
    }

    /**
     * A file was closed, with what crossed while it was open.
     *
     * @param bytesRead    file bytes sent by the target (SFTP DATA replies, SCP download data)
     * @param bytesWritten file bytes sent by the client (SFTP WRITE requests, SCP upload data)
     * @param digest       SHA-256 of the bytes that crossed, or why there is none
     * @param complete     true when the protocol ended the transfer normally (SFTP: CLOSE acknowledged; SCP: all
     *                     announced bytes sent and acknowledged); false when it failed or the channel ended first
     */
    record Closed(TransferProtocol protocol, String handleOrName, String path, OpenMode mode, long bytesRead,
            long bytesWritten, ContentDigest digest, boolean complete) implements TransferEvent {
        public Closed {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(handleOrName, "handleOrName");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(digest, "digest");
        }

        /** {@code sftp.close}, or for SCP {@code scp.upload} / {@code scp.download}. */
        @Override
        public String kind() {
            if (protocol == TransferProtocol.SCP) {
                return mode.write() ? "scp.upload" : "scp.download";
            }
            return protocol.prefix() + ".close";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> f = newFields();
            f.put("path", path);
            f.put(protocol == TransferProtocol.SFTP ? "handle" : "name", handleOrName);
            f.put("mode", mode.toString());
            f.put("bytesRead", bytesRead);
            f.put("bytesWritten", bytesWritten);
            if (digest.available()) {
                f.put("sha256", digest.sha256());
                if (digest.offset() != 0) {
                    f.put("sha256Offset", digest.offset());
                }
            } else {
                f.put("sha256Unavailable", digest.unavailableReason());
            }
            f.put("complete", complete);
            return done(f);
        }
    }

    /** A file was removed. */
    record Removed(TransferProtocol protocol, String path) implements TransferEvent {
        public Removed {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String kind() {
            return protocol.prefix() + ".remove";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> f = newFields();
            f.put("path", path);
            return done(f);
        }
    }

    /**
     * A file or directory was renamed.
     *
     * @param posix true for {@code posix-rename@openssh.com} (replaces an existing {@code to})
     */
    record Renamed(TransferProtocol protocol, String from, String to, boolean posix) implements TransferEvent {
        public Renamed {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String kind() {
            return protocol.prefix() + ".rename";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> f = newFields();
            f.put("from", from);
            f.put("to", to);
            if (posix) {
                f.put("posix", true);
            }
            return done(f);
        }
    }

    /**
     * A directory was created (SFTP MKDIR; SCP {@code D} record: on the target for uploads, on the user's side
     * for downloads, where {@code path} names the target directory being copied).
     */
    record DirCreated(TransferProtocol protocol, String path) implements TransferEvent {
        public DirCreated {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String kind() {
            return protocol.prefix() + ".mkdir";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> f = newFields();
            f.put("path", path);
            return done(f);
        }
    }

    /** A directory was removed. */
    record DirRemoved(TransferProtocol protocol, String path) implements TransferEvent {
        public DirRemoved {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String kind() {
            return protocol.prefix() + ".rmdir";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> f = newFields();
            f.put("path", path);
            return done(f);
        }
    }

    /**
     * Attributes were set (SETSTAT, FSETSTAT, {@code lsetstat@openssh.com}).
     *
     * @param path the path, or for FSETSTAT on a handle the observer does not know, {@code handle:<hex>}
     */
    record AttributesSet(TransferProtocol protocol, String path, FileAttributes attributes)
            implements TransferEvent {
        public AttributesSet {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(attributes, "attributes");
        }

        @Override
        public String kind() {
            return protocol.prefix() + ".setstat";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> f = newFields();
            f.put("path", path);
            f.putAll(attributes.fields());
            return done(f);
        }
    }

    /**
     * A link was created: SYMLINK ({@code hard == false}) or {@code hardlink@openssh.com}.
     *
     * @param linkPath   the new link
     * @param targetPath what it points to
     */
    record LinkCreated(TransferProtocol protocol, String linkPath, String targetPath, boolean hard)
            implements TransferEvent {
        public LinkCreated {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(linkPath, "linkPath");
            Objects.requireNonNull(targetPath, "targetPath");
        }

        /** {@code sftp.symlink} or {@code sftp.link}. */
        @Override
        public String kind() {
            return protocol.prefix() + (hard ? ".link" : ".symlink");
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> f = newFields();
            f.put("link", linkPath);
            f.put("target", targetPath);
            return done(f);
        }
    }

    /**
     * The target (or, for SCP, the sending side) reported that an operation failed.
     *
     * @param op      the operation: {@code open}, {@code close}, {@code read}, {@code write}, {@code remove},
     *                {@code rename}, {@code mkdir}, {@code rmdir}, {@code setstat}, {@code symlink},
     *                {@code link}; for SCP also {@code start}, {@code times}, {@code enddir}, {@code source}
     * @param path    the path concerned, or null when unknown
     * @param status  SFTP status code; SCP: 1 (error) or 2 (fatal)
     * @param message the peer's message, possibly empty
     */
    record Failed(TransferProtocol protocol, String op, String path, int status, String message)
            implements TransferEvent {
        public Failed {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(op, "op");
            message = message == null ? "" : message;
        }

        @Override
        public String kind() {
            return protocol.prefix() + ".failed";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> f = newFields();
            f.put("op", op);
            if (path != null) {
                f.put("path", path);
            }
            f.put("status", status);
            if (protocol == TransferProtocol.SFTP) {
                f.put("error", SftpStatus.name(status));
            }
            f.put("message", message);
            return done(f);
        }
    }

    /**
     * The observer could not follow the protocol any more and stopped: no further evidence comes from this
     * channel. Reported once.
     */
    record SyncLost(TransferProtocol protocol, String reason) implements TransferEvent {
        public SyncLost {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String kind() {
            return protocol.prefix() + ".sync-lost";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> f = newFields();
            f.put("reason", reason);
            return done(f);
        }
    }

    private static Map<String, Object> newFields() {
        return new LinkedHashMap<>();
    }

    private static Map<String, Object> done(Map<String, Object> fields) {
        return Collections.unmodifiableMap(fields);
    }
}
