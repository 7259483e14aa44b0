package dev.portier.gateway.transfer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standard SFTP v3 attributes a request set; a null component was not part of the request. Extended
 * attributes are not kept.
 */
public record FileAttributes(Long size, Long uid, Long gid, Integer permissions, Long atime, Long mtime) {
    static final int SIZE = 0x01;
    static final int UIDGID = 0x02;
    static final int PERMISSIONS = 0x04;
    static final int ACMODTIME = 0x08;

    /** Reads an SFTP v3 ATTRS structure, stopping before its extended pairs (never needed here). */
    static FileAttributes read(WireReader in) throws ProtocolViolation {
        int flags = in.u32();
        Long size = (flags & SIZE) != 0 ? in.u64() : null;
        Long uid = null;
        Long gid = null;
        if ((flags & UIDGID) != 0) {
            uid = in.u32Unsigned();
            gid = in.u32Unsigned();
        }
        Integer permissions = (flags & PERMISSIONS) != 0 ? in.u32() : null;
        Long atime = null;
        Long mtime = null;
        if ((flags & ACMODTIME) != 0) {
            atime = in.u32Unsigned();
            mtime = in.u32Unsigned();
        }
        return new FileAttributes(size, uid, gid, permissions, atime, mtime);
    }

    /** The set attributes for the recorder; permissions in octal ({@code 0644}), times in epoch seconds. */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (size != null) {
            fields.put("size", size);
        }
        if (uid != null) {
            fields.put("uid", uid);
            fields.put("gid", gid);
        }
        if (permissions != null) {
            fields.put("permissions", octal(permissions));
        }
        if (atime != null) {
            fields.put("atime", atime);
            fields.put("mtime", mtime);
        }
        return fields;
    }

    static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }
}
