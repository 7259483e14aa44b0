package dev.portier.gateway.transfer;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Encodes SFTP v3 packets as an OpenSSH client or server puts them on the wire. */
final class SftpWire {
    static final int INIT = 1;
    static final int VERSION = 2;
    static final int OPEN = 3;
    static final int CLOSE = 4;
    static final int READ = 5;
    static final int WRITE = 6;
    static final int LSTAT = 7;
    static final int SETSTAT = 9;
    static final int FSETSTAT = 10;
    static final int OPENDIR = 11;
    static final int READDIR = 12;
    static final int REMOVE = 13;
    static final int MKDIR = 14;
    static final int RMDIR = 15;
    static final int REALPATH = 16;
    static final int RENAME = 18;
    static final int SYMLINK = 20;
    static final int STATUS = 101;
    static final int HANDLE = 102;
    static final int DATA = 103;
    static final int NAME = 104;
    static final int ATTRS = 105;
    static final int EXTENDED = 200;
    static final int EXTENDED_REPLY = 201;

    static final int FX_OK = 0;
    static final int FX_EOF = 1;
    static final int FX_NO_SUCH_FILE = 2;
    static final int FX_PERMISSION_DENIED = 3;
    static final int FX_FAILURE = 4;

    private SftpWire() {
    }

    /** Builds one packet: {@code uint32 length, byte type, body}. */
    static final class Packet {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(body);
        private final int type;

        Packet(int type) {
            this.type = type;
        }

        Packet u32(long v) {
            return io(() -> out.writeInt((int) v));
        }

        Packet u64(long v) {
            return io(() -> out.writeLong(v));
        }

        Packet string(String s) {
            return string(s.getBytes(StandardCharsets.UTF_8));
        }

        Packet string(byte[] b) {
            return string(b, 0, b.length);
        }

        Packet string(byte[] b, int off, int len) {
            return io(() -> {
                out.writeInt(len);
                out.write(b, off, len);
            });
        }

        Packet raw(byte[] b) {
            return io(() -> out.write(b));
        }

        /** ATTRS with only the permissions set, or empty attributes for a negative value. */
        Packet attrs(int permissions) {
            return permissions < 0 ? u32(0) : u32(0x04).u32(permissions);
        }

        byte[] bytes() {
            byte[] b = body.toByteArray();
            ByteArrayOutputStream packet = new ByteArrayOutputStream(b.length + 5);
            DataOutputStream p = new DataOutputStream(packet);
            try {
                p.writeInt(b.length + 1);
                p.writeByte(type);
                p.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return packet.toByteArray();
        }

        private Packet io(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    static Packet packet(int type) {
        return new Packet(type);
    }

    static byte[] init() {
        return packet(INIT).u32(3).bytes();
    }

    static byte[] version(int version) {
        return packet(VERSION).u32(version).string("posix-rename@openssh.com").string("1")
                .string("hardlink@openssh.com").string("1").bytes();
    }

    static byte[] open(int id, String path, int pflags) {
        return packet(OPEN).u32(id).string(path).u32(pflags).attrs(-1).bytes();
    }

    static byte[] open(int id, String path, int pflags, int permissions) {
        return packet(OPEN).u32(id).string(path).u32(pflags).attrs(permissions).bytes();
    }

    static byte[] handle(int id, byte[] handle) {
        return packet(HANDLE).u32(id).string(handle).bytes();
    }

    static byte[] close(int id, byte[] handle) {
        return packet(CLOSE).u32(id).string(handle).bytes();
    }

    static byte[] read(int id, byte[] handle, long offset, int length) {
        return packet(READ).u32(id).string(handle).u64(offset).u32(length).bytes();
    }

    static byte[] write(int id, byte[] handle, long offset, byte[] data, int off, int len) {
        return packet(WRITE).u32(id).string(handle).u64(offset).string(data, off, len).bytes();
    }

    static byte[] data(int id, byte[] data, int off, int len) {
        return packet(DATA).u32(id).string(data, off, len).bytes();
    }

    static byte[] status(int id, int code, String message) {
        return packet(STATUS).u32(id).u32(code).string(message).string("").bytes();
    }

    static byte[] ok(int id) {
        return status(id, FX_OK, "Success");
    }

    static byte[] pathRequest(int type, int id, String path) {
        return packet(type).u32(id).string(path).bytes();
    }

    static byte[] twoPaths(int type, int id, String first, String second) {
        return packet(type).u32(id).string(first).string(second).bytes();
    }

    static byte[] mkdir(int id, String path) {
        return packet(MKDIR).u32(id).string(path).attrs(0755).bytes();
    }

    static byte[] setstat(int id, String path, int permissions) {
        return packet(SETSTAT).u32(id).string(path).attrs(permissions).bytes();
    }

    static byte[] fsetstat(int id, byte[] handle, int permissions) {
        return packet(FSETSTAT).u32(id).string(handle).attrs(permissions).bytes();
    }

    static byte[] extended(int id, String name, String... args) {
        Packet p = packet(EXTENDED).u32(id).string(name);
        for (String arg : args) {
            p.string(arg);
        }
        return p.bytes();
    }

    /** A NAME reply with {@code count} entries (what READDIR and REALPATH return). */
    static byte[] name(int id, int count) {
        Packet p = packet(NAME).u32(id).u32(count);
        for (int i = 0; i < count; i++) {
            p.string("file-" + i).string("-rw-r--r-- 1 root root 0 Jan 1 00:00 file-" + i).u32(0);
        }
        return p.bytes();
    }
}
