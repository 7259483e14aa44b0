package dev.portier.config;

/**
 * {@code siem:} where audit events are exported.
 *
 * @param syslog       the syslog receiver, or {@code null} when nothing is exported
 * @param pseudonymize user identities in the export become keyed HMAC pseudonyms ({@code p-} + 16 hex)
 */
public record SiemConfig(SyslogConfig syslog, boolean pseudonymize) {
    public static final SiemConfig NONE = new SiemConfig(null, false);

    public boolean enabled() {
        return syslog != null;
    }
}
