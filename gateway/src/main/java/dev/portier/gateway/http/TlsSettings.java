package dev.portier.gateway.http;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Every TLS setting of the HTTPS front in one place: TLS 1.3 and 1.2 only, forward-secret AEAD suites only
 * (no CBC, no RSA key exchange), no client certificates, the JDK's provider (no native library to ship).
 */
final class TlsSettings {
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    /** A client that has not finished its handshake by then is dropped. */
    static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private TlsSettings() {
    }

    static SslContext serverContext(SelfSignedCertificate cert) throws SSLException {
        return SslContextBuilder.forServer(cert.key(), cert.certificate())
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(ClientAuth.NONE)
                .build();
    }
}
