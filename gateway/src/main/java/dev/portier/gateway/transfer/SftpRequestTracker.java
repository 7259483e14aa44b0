package dev.portier.gateway.transfer;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The SFTP v3 semantics behind {@link SftpObserver}: remembers the requests that matter by id, pairs them with
 * their replies, keeps the open handles and reports the operations the target confirmed or refused.
 */
final class SftpRequestTracker {
    private static final int OPEN = 3;
    private static final int CLOSE = 4;
    private static final int READ = 5;
    private static final int WRITE = 6;
    private static final int SETSTAT = 9;
    private static final int FSETSTAT = 10;
    private static final int OPENDIR = 11;
    private static final int REMOVE = 13;
    private static final int MKDIR = 14;
    private static final int RMDIR = 15;
    private static final int RENAME = 18;
    private static final int SYMLINK = 20;
    private static final int EXTENDED = 200;
    private static final int VERSION = 2;
    private static final int STATUS = 101;
    private static final int HANDLE = 102;
    private static final int DATA = 103;
    private static final int NAME = 104;
    private static final int ATTRS = 105;
    private static final int EXTENDED_REPLY = 201;
    private static final int MAX_MESSAGE_LENGTH = 1024;
    private static final TransferProtocol SFTP = TransferProtocol.SFTP;

    /** A request whose reply matters. */
    private sealed interface Pending {
    }

    private record OpenRequest(String path, OpenMode mode, Integer permissions) implements Pending {
    }

    private record OpenDirRequest(String path) implements Pending {
    }

    private record CloseRequest(String handle) implements Pending {
    }

    private record ReadRequest(SftpFile file, long offset) implements Pending {
    }

    private record WriteRequest(SftpFile file) implements Pending {
    }

    /** REMOVE, RENAME, MKDIR, ...: report {@code done} on success, a failure of {@code op} otherwise. */
    private record PathRequest(String op, String path, TransferEvent done) implements Pending {
    }

    private final Consumer<TransferEvent> out;
    private final int maxPending;
    private final int maxHandles;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final Map<String, SftpFile> handles = new LinkedHashMap<>();
    /** Where the data of the WRITE being read goes, or null to drop it. */
    private RunningDigest uploading;
    /** Where the data of the DATA reply being read goes, or null to drop it. */
    private RunningDigest downloading;

    SftpRequestTracker(Consumer<TransferEvent> out, int maxPending, int maxHandles) {
        this.out = out;
        this.maxPending = maxPending;
        this.maxHandles = maxHandles;
    }

    final SftpFramer.Listener client = new SftpFramer.Listener() {
        @Override
        public SftpFramer.Plan plan(int type) {
            return switch (type) {
                case OPEN, CLOSE, READ, SETSTAT, FSETSTAT, OPENDIR, REMOVE, MKDIR, RMDIR, RENAME, SYMLINK, EXTENDED ->
                        SftpFramer.Plan.FIELDS;
                case WRITE -> SftpFramer.Plan.STREAM_WRITE;
                default -> SftpFramer.Plan.SKIP;
            };
        }

        @Override
        public void fields(int type, WireReader in) throws ProtocolViolation {
            request(type, in.u32(), in);
        }

        @Override
        public void streamStart(int type, WireReader head) throws ProtocolViolation {
            int id = head.u32();
            SftpFile file = handles.get(head.hex());
            long offset = head.u64();
            uploading = null;
            if (file != null && !file.isDirectory()) {
                track(id, new WriteRequest(file));
                file.writes.at(offset);
                uploading = file.writes;
            }
        }

        @Override
        public void streamData(byte[] buf, int off, int len) {
            if (uploading != null) {
                uploading.update(buf, off, len);
            }
        }

        @Override
        public void streamEnd() {
            uploading = null;
        }
    };

    final SftpFramer.Listener server = new SftpFramer.Listener() {
        @Override
        public SftpFramer.Plan plan(int type) {
            return switch (type) {
                case VERSION, STATUS, HANDLE -> SftpFramer.Plan.FIELDS;
                case DATA -> SftpFramer.Plan.STREAM_DATA;
                case NAME, ATTRS, EXTENDED_REPLY -> SftpFramer.Plan.ID_ONLY;
                default -> SftpFramer.Plan.SKIP;
            };
        }

        @Override
        public void fields(int type, WireReader in) throws ProtocolViolation {
            if (type == VERSION) {
                long version = in.u32Unsigned();
                if (version != 3) {
                    throw new ProtocolViolation("SFTP version " + version + " is not supported, only version 3");
                }
                return;
            }
            reply(type, pending.remove(in.u32()), in);
        }

        @Override
        public void streamStart(int type, WireReader head) throws ProtocolViolation {
            Pending request = pending.remove(head.u32());
            downloading = null;
            if (request instanceof ReadRequest read) {
                // The digest follows the order the data crosses in; a reply out of offset order gives it up.
                read.file().reads.at(read.offset());
                downloading = read.file().reads;
            }
        }

        @Override
        public void streamData(byte[] buf, int off, int len) {
            if (downloading != null) {
                downloading.update(buf, off, len);
            }
        }

        @Override
        public void streamEnd() {
            downloading = null;
        }
    };

    /** Reports the files still open as closed incomplete and forgets everything. */
    void abandon(boolean syncLost) {
        for (SftpFile file : handles.values()) {
            if (!file.isDirectory()) {
                out.accept(file.closed(false, syncLost));
            }
        }
        handles.clear();
        pending.clear();
        uploading = null;
        downloading = null;
    }

    private void request(int type, int id, WireReader in) throws ProtocolViolation {
        switch (type) {
            case OPEN -> {
                String path = in.string();
                OpenMode mode = new OpenMode(in.u32());
                track(id, new OpenRequest(path, mode, FileAttributes.read(in).permissions()));
            }
            case OPENDIR -> track(id, new OpenDirRequest(in.string()));
            case CLOSE -> {
                String handle = in.hex();
                if (handles.containsKey(handle)) {
                    track(id, new CloseRequest(handle));
                }
            }
            case READ -> {
                SftpFile file = handles.get(in.hex());
                long offset = in.u64();
                if (file != null && !file.isDirectory()) {
                    track(id, new ReadRequest(file, offset));
                }
            }
            case SETSTAT -> {
                String path = in.string();
                track(id, new PathRequest("setstat", path,
                        new TransferEvent.AttributesSet(SFTP, path, FileAttributes.read(in))));
            }
            case FSETSTAT -> {
                String handle = in.hex();
                SftpFile file = handles.get(handle);
                String path = file != null ? file.path : "handle:" + handle;
                track(id, new PathRequest("setstat", path,
                        new TransferEvent.AttributesSet(SFTP, path, FileAttributes.read(in))));
            }
            case REMOVE -> {
                String path = in.string();
                track(id, new PathRequest("remove", path, new TransferEvent.Removed(SFTP, path)));
            }
            case MKDIR -> {
                String path = in.string();
                track(id, new PathRequest("mkdir", path, new TransferEvent.DirCreated(SFTP, path)));
            }
            case RMDIR -> {
                String path = in.string();
                track(id, new PathRequest("rmdir", path, new TransferEvent.DirRemoved(SFTP, path)));
            }
            case RENAME -> {
                String from = in.string();
                String to = in.string();
                track(id, new PathRequest("rename", from, new TransferEvent.Renamed(SFTP, from, to, false)));
            }
            case SYMLINK -> {
                // OpenSSH sends the link target first and the new link second, the reverse of the draft;
                // the target is an OpenSSH server, so its order is the one that takes effect.
                String target = in.string();
                String link = in.string();
                track(id, new PathRequest("symlink", link, new TransferEvent.LinkCreated(SFTP, link, target, false)));
            }
            case EXTENDED -> extended(id, in.string(), in);
            default -> throw new IllegalStateException("fields of an unplanned request type " + type);
        }
    }

    private void extended(int id, String name, WireReader in) throws ProtocolViolation {
        switch (name) {
            case "posix-rename@openssh.com" -> {
                String from = in.string();
                String to = in.string();
                track(id, new PathRequest("rename", from, new TransferEvent.Renamed(SFTP, from, to, true)));
            }
            case "hardlink@openssh.com" -> {
                String target = in.string();
                String link = in.string();
                track(id, new PathRequest("link", link, new TransferEvent.LinkCreated(SFTP, link, target, true)));
            }
            case "lsetstat@openssh.com" -> {
                String path = in.string();
                track(id, new PathRequest("setstat", path,
                        new TransferEvent.AttributesSet(SFTP, path, FileAttributes.read(in))));
            }
            default -> {
                // Other extensions (statvfs, fsync, limits, expand-path, copy-data, ...) are not evidence here.
            }
        }
    }

    private void reply(int type, Pending request, WireReader in) throws ProtocolViolation {
        if (request == null) {
            return;
        }
        if (type == HANDLE) {
            String handle = in.hex();
            if (request instanceof OpenRequest open) {
                SftpFile file = addHandle(new SftpFile(handle, open.path(), open.mode()));
                out.accept(new TransferEvent.Opened(SFTP, handle, file.path, file.mode, -1, open.permissions()));
            } else if (request instanceof OpenDirRequest dir) {
                addHandle(new SftpFile(handle, dir.path(), null));
            }
        } else if (type == STATUS) {
            int code = in.u32();
            String message = in.hasRemaining() ? in.string() : "";
            if (message.length() > MAX_MESSAGE_LENGTH) {
                message = message.substring(0, MAX_MESSAGE_LENGTH);
            }
            status(request, code, message);
        }
    }

    private void status(Pending request, int code, String message) {
        boolean ok = code == SftpStatus.OK;
        if (request instanceof PathRequest op) {
            out.accept(ok ? op.done() : failed(op.op(), op.path(), code, message));
        } else if (request instanceof OpenRequest open) {
            if (!ok) {
                out.accept(failed("open", open.path(), code, message));
            }
        } else if (request instanceof CloseRequest close) {
            // OpenSSH forgets the handle whatever the close status is.
            SftpFile file = handles.remove(close.handle());
            if (file != null && !file.isDirectory()) {
                if (!ok) {
                    out.accept(failed("close", file.path, code, message));
                }
                out.accept(file.closed(ok, false));
            }
        } else if (request instanceof ReadRequest read) {
            SftpFile file = read.file();
            if (!ok && code != SftpStatus.EOF && !file.readFailureReported) {
                file.readFailureReported = true;
                out.accept(failed("read", file.path, code, message));
            }
        } else if (request instanceof WriteRequest write) {
            SftpFile file = write.file();
            if (!ok && !file.writeFailureReported) {
                file.writeFailureReported = true;
                out.accept(failed("write", file.path, code, message));
            }
        }
    }

    private static TransferEvent.Failed failed(String op, String path, int code, String message) {
        return new TransferEvent.Failed(SFTP, op, path, code, message);
    }

    private void track(int id, Pending request) throws ProtocolViolation {
        if (pending.size() >= maxPending && !pending.containsKey(id)) {
            throw new ProtocolViolation("more than " + maxPending + " SFTP requests await a reply");
        }
        pending.put(id, request);
    }

    private SftpFile addHandle(SftpFile file) throws ProtocolViolation {
        if (handles.size() >= maxHandles && !handles.containsKey(file.handle)) {
            throw new ProtocolViolation("more than " + maxHandles + " SFTP handles are open");
        }
        SftpFile replaced = handles.put(file.handle, file);
        if (replaced != null && !replaced.isDirectory()) {
            // The server handed out a handle that is still open: the old file is gone as far as it is concerned.
            out.accept(replaced.closed(false, false));
        }
        return file;
    }
}
