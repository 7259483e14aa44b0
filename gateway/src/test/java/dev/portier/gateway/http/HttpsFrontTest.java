package dev.portier.gateway.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.config.HostPort;
import dev.portier.testsupport.FreePort;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS front on its own: TLS settings, the certificate's life, routing, ordering of answers. */
class HttpsFrontTest {
    @TempDir
    Path data;

    /** Answers {@code /t/slow} after 300 ms from another thread, anything else at once, echoing the path. */
    private static final HttpRoute ECHO = new HttpRoute() {
        @Override
        public String prefix() {
            return "/t/";
        }

        @Override
        public void handle(HttpCall call) {
            HttpReply reply = HttpReply.json(HttpResponseStatus.OK, "{\"path\":\"" + call.path() + "\"}");
            if (call.path().equals("/t/slow")) {
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> call.respond(reply));
            } else {
                call.respond(reply);
            }
        }
    };

    private HttpsFront start() throws Exception {
        HttpsFront front = new HttpsFront(new HostPort("127.0.0.1", FreePort.find()), data, List.of(ECHO));
        front.start();
        return front;
    }

    private X509Certificate cert() throws Exception {
        try (InputStream in = Files.newInputStream(data.resolve("tls").resolve(SelfSignedCertificate.CERT_FILE))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private SSLSocket connect(HttpsFront front, String protocol, String cipher) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("portier", cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", front.port());
        s.setSoTimeout(10_000);
        if (protocol != null) {
            s.setEnabledProtocols(new String[] {protocol});
        }
        if (cipher != null) {
            s.setEnabledCipherSuites(new String[] {cipher});
        }
        s.startHandshake();
        return s;
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketTimeoutException | SSLException e) {
            // enough: the answers we wait for arrived before
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void certificateIsGeneratedOnceKeptPrivateAndReused() throws Exception {
        byte[] first;
        try (HttpsFront front = start()) {
            first = cert().getEncoded();
            try (SSLSocket s = connect(front, null, null)) {
                assertEquals("TLSv1.3", s.getSession().getProtocol());
            }
        }
        Path key = data.resolve("tls").resolve(SelfSignedCertificate.KEY_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        try (HttpsFront again = start(); SSLSocket s = connect(again, null, null)) {
            assertArrayEquals(first, s.getSession().getPeerCertificates()[0].getEncoded(),
                    "a restart keeps the certificate clients pinned");
        }
        assertTrue(cert().getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("127.0.0.1")));
    }

    @Test
    void keyReadableByOthersIsRefusedAtStart() throws Exception {
        start().close();
        Path key = data.resolve("tls").resolve(SelfSignedCertificate.KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Exception e = assertThrows(java.io.IOException.class, this::start);
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void plainHttpGetsNoAnswer() throws Exception {
        try (HttpsFront front = start(); Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", front.port()), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /t/x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = readAll(s.getInputStream());
            assertFalse(answer.startsWith("HTTP/"), "plain HTTP is not spoken: " + answer);
            assertFalse(answer.contains("/t/x"));
        }
    }

    @Test
    void tls12WithCbcSuiteIsRefused() throws Exception {
        try (HttpsFront front = start()) {
            assertThrows(SSLException.class, () -> connect(front, "TLSv1.2",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256").close());
            try (SSLSocket ok = connect(front, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
                assertEquals("TLSv1.2", ok.getSession().getProtocol());
            }
        }
    }

    @Test
    void pipelinedAnswersComeInRequestOrder() throws Exception {
        try (HttpsFront front = start(); SSLSocket s = connect(front, null, null)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /t/slow HTTP/1.1\r\nHost: x\r\n\r\nGET /t/fast HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answers = readAll(s.getInputStream());
            int slow = answers.indexOf("/t/slow");
            int fast = answers.indexOf("/t/fast");
            int missing = answers.indexOf("\"error\":\"not-found\"");
            assertTrue(slow > 0 && fast > slow && missing > fast, answers);
            assertTrue(answers.contains("HTTP/1.1 404"), answers);
        }
    }

    @Test
    void malformedRequestGets400AndTheConnectionCloses() throws Exception {
        try (HttpsFront front = start(); SSLSocket s = connect(front, null, null)) {
            s.getOutputStream().write(("GET /t/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readAll(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 414"), answer);
            assertTrue(answer.contains("\"error\":\"bad-request\""), answer);
        }
    }
}
