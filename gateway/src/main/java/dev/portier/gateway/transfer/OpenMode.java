package dev.portier.gateway.transfer;

import java.util.ArrayList;
import java.util.List;

/**
 * How a file was opened, as SFTP v3 {@code pflags} (SCP uploads use write, create and truncate; SCP downloads
 * use read).
 *
 * @param pflags the raw flag bits, unknown bits included
 */
public record OpenMode(int pflags) {
    public static final int READ = 0x01;
    public static final int WRITE = 0x02;
    public static final int APPEND = 0x04;
    public static final int CREATE = 0x08;
    public static final int TRUNCATE = 0x10;
    public static final int EXCLUSIVE = 0x20;

    private static final int[] BITS = {READ, WRITE, APPEND, CREATE, TRUNCATE, EXCLUSIVE};
    private static final String[] NAMES = {"read", "write", "append", "create", "trunc", "excl"};

    public boolean read() {
        return (pflags & READ) != 0;
    }

    public boolean write() {
        return (pflags & WRITE) != 0;
    }

    public boolean append() {
        return (pflags & APPEND) != 0;
    }

    public boolean create() {
        return (pflags & CREATE) != 0;
    }

    public boolean truncate() {
        return (pflags & TRUNCATE) != 0;
    }

    public boolean exclusive() {
        return (pflags & EXCLUSIVE) != 0;
    }

    /** The set flags by name ({@code read}, {@code write}, {@code append}, {@code create}, {@code trunc}, {@code excl}). */
    public List<String> names() {
        List<String> names = new ArrayList<>(BITS.length);
        for (int i = 0; i < BITS.length; i++) {
            if ((pflags & BITS[i]) != 0) {
                names.add(NAMES[i]);
            }
        }
        return List.copyOf(names);
    }

    /** Flags by name, comma-separated, e.g. {@code write,create,trunc}. */
    @Override
    public String toString() {
        return String.join(",", names());
    }
}
