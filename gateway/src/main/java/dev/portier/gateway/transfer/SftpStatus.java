package dev.portier.gateway.transfer;

/** SFTP v3 status codes (SSH_FXP_STATUS) and their names for the evidence. */
final class SftpStatus {
    static final int OK = 0;
    static final int EOF = 1;

    private static final String[] NAMES = {
        "ok", "eof", "no such file", "permission denied", "failure", "bad message", "no connection",
        "connection lost", "operation unsupported",
    };

    private SftpStatus() {
    }

    static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "status " + Integer.toUnsignedString(code);
    }
}
