package dev.portier.gateway.siem;

import java.util.Locale;

/**
 * How urgent an audit event is for the SOC, as a syslog severity (RFC 5424 6.2.1) and a CEF severity (0-10).
 * Break-glass use and evidence trouble are critical; refusals and denials are warnings; the rest is information.
 */
enum EventSeverity {
    CRITICAL(2, 9), WARNING(4, 6), INFO(6, 3);

    /** RFC 5424 facility 13, "log audit". */
    static final int FACILITY_LOG_AUDIT = 13;

    private final int syslog;
    private final int cef;

    EventSeverity(int syslog, int cef) {
        this.syslog = syslog;
        this.cef = cef;
    }

    static EventSeverity of(String type, String decision) {
        String t = type.toLowerCase(Locale.ROOT);
        if (t.startsWith("breakglass") || t.startsWith("break-glass") || t.equals("hostkey.mismatch")
                || t.equals("audit.chain-resumed")) {
            return CRITICAL;
        }
        if ("deny".equals(decision) || t.endsWith(".denied") || t.endsWith(".refused") || t.endsWith(".failure")
                || t.endsWith(".failed") || t.endsWith(".mismatch")) {
            return WARNING;
        }
        return INFO;
    }

    /** The PRI value: facility * 8 + severity. */
    int pri() {
        return FACILITY_LOG_AUDIT * 8 + syslog;
    }

    int cef() {
        return cef;
    }
}
