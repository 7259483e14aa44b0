package dev.portier.config;

import java.nio.file.Path;

/**
 * {@code siem.syslog:} one RFC 5424 receiver over TCP with octet-counting framing (RFC 6587).
 *
 * @param address host and port of the receiver
 * @param tls     TLS on (the default) or plain TCP ({@code tls: false}, for a receiver on loopback)
 * @param ca      PEM file of the certificate authorities to trust, or {@code null} for the JDK's default store
 * @param format  the payload of each message
 * @param appName the RFC 5424 APP-NAME, 1-48 printable ASCII characters
 */
public record SyslogConfig(HostPort address, boolean tls, Path ca, Format format, String appName) {
    public static final String DEFAULT_APP_NAME = "portier";

    /** The payload: the audit line as JSON, or an ArcSight CEF rendering of it. */
    public enum Format {
        JSON, CEF
    }
}
