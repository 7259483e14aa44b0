package dev.portier.gateway.siem;

import dev.portier.config.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP or TLS connection to the syslog receiver, used by the forwarder's thread only (blocking I/O with
 * timeouts; this is not the SSH path).
 *
 * <p>Syslog over TCP has no acknowledgements. {@link #stillOpen} stands in for one: a receiver that stops closes
 * the connection (FIN, or RST when unread data was pending), and a write that went nowhere shows up as an
 * end-of-stream or reset within moments. Events are only counted as delivered once the connection outlived them
 * by the confirmation window; a receiver that crashes after reading but before storing them can still lose them
 * (RELP would close that gap; rsyslog's omfile writes within milliseconds).
 */
final class SyslogConnection implements AutoCloseable {
    static final int CONNECT_TIMEOUT_MS = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(SyslogConnection.class);
    private static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private SyslogConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects; with {@code tls} non-null, completes the handshake and checks the receiver's certificate against
     * the address's host name.
     */
    static SyslogConnection open(HostPort address, SSLSocketFactory tls) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            plain.connect(new InetSocketAddress(address.host(), address.port()), CONNECT_TIMEOUT_MS);
            if (tls == null) {
                return new SyslogConnection(plain);
            }
            SSLSocket s = (SSLSocket) tls.createSocket(plain, address.host(), address.port(), true);
            SSLParameters params = s.getSSLParameters();
            // Hostname verification is off by default for raw SSLSockets; set it explicitly.
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setProtocols(TLS_PROTOCOLS.toArray(String[]::new));
            s.setSSLParameters(params);
            s.setSoTimeout(CONNECT_TIMEOUT_MS);
            s.startHandshake();
            return new SyslogConnection(s);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** A socket factory trusting the CA certificates in a PEM file, or the JDK's default store when null. */
    static SSLSocketFactory tlsFactory(Path caPem) throws IOException {
        try {
            if (caPem == null) {
                return SSLContext.getDefault().getSocketFactory();
            }
            Collection<? extends Certificate> certs;
            try (InputStream pem = Files.newInputStream(caPem)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(pem);
            }
            if (certs.isEmpty()) {
                throw new IOException(caPem + " holds no certificate; give the PEM file of the SIEM's CA");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + caPem + " as the SIEM's CA: " + e.getMessage(), e);
        }
    }

    /** Writes the frames and flushes them to the socket. */
    void send(List<byte[]> frames) throws IOException {
        for (byte[] f : frames) {
            out.write(f);
        }
        out.flush();
    }

    /**
     * Waits up to {@code millis} for the receiver to close the connection. Receivers never send on a syslog
     * connection, so data is discarded; a timeout means the connection is still open.
     *
     * @return false when the receiver closed or reset the connection
     */
    boolean stillOpen(int millis) {
        byte[] sink = new byte[512];
        long deadline = System.nanoTime() + millis * 1_000_000L;
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return true;
                }
                socket.setSoTimeout((int) Math.max(1, left));
                if (in.read(sink) < 0) {
                    return false;
                }
            }
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing the SIEM connection: {}", e.toString());
        }
    }
}
