package dev.portier.gateway.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.audit.AuditEvent;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.config.HostPort;
import dev.portier.config.SyslogConfig;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forwarder against in-process receivers: TLS, odd lines, pseudonyms. */
class SyslogForwarderTest {
    @TempDir
    Path tmp;

    @Test
    void eventsArriveOverTlsCheckedAgainstTheConfiguredCa() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate cert = selfSigned(kp);
        Path ca = tmp.resolve("ca.pem");
        try (Writer w = Files.newBufferedWriter(ca); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(cert);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("siem", kp.getPrivate(), new char[0], new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Path auditDir = tmp.resolve("audit");
        try (FileAuditLog audit = new FileAuditLog(auditDir); FrameReceiver siem = new FrameReceiver(server)) {
            RsyslogFeedEndToEndTest.record(audit, 0, 3);
            SyslogConfig config = new SyslogConfig(new HostPort("127.0.0.1", siem.port()), true, ca,
                    SyslogConfig.Format.JSON, "portier");
            try (SyslogForwarder feed = SyslogForwarder.start(config, auditDir, null, RsyslogFeedEndToEndTest.FAST)) {
                await(() -> siem.messages().size() >= 3);
                RsyslogFeedEndToEndTest.record(audit, 3, 2);
                await(() -> siem.messages().size() >= 5);
                await(() -> feed.deliveredOffset() == size(audit.file()));
            }
            assertEquals(5, siem.messages().size(), siem.messages().toString());
            List<String> lines = Files.readAllLines(audit.file());
            assertTrue(siem.messages().get(0).endsWith(" " + lines.get(0)), siem.messages().get(0));
            assertTrue(siem.messages().get(0).startsWith("<110>1 "), siem.messages().get(0));
        }
    }

    @Test
    void untrustedReceiverGetsNothing() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("EC").generateKeyPair();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("siem", kp.getPrivate(), new char[0], new X509Certificate[] {selfSigned(kp)});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        Path auditDir = tmp.resolve("audit");
        try (FileAuditLog audit = new FileAuditLog(auditDir); FrameReceiver siem = new FrameReceiver(
                ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()))) {
            RsyslogFeedEndToEndTest.record(audit, 0, 2);
            SyslogConfig config = new SyslogConfig(new HostPort("127.0.0.1", siem.port()), true, null,
                    SyslogConfig.Format.JSON, "portier");
            try (SyslogForwarder feed = SyslogForwarder.start(config, auditDir, null, RsyslogFeedEndToEndTest.FAST)) {
                Thread.sleep(500);
                assertEquals(0, feed.deliveredOffset());
            }
            assertEquals(List.of(), siem.messages());
        }
    }

    @Test
    void unknownLineTypesAreForwardedAndTornLinesSkipped() throws Exception {
        Path auditDir = tmp.resolve("audit");
        Files.createDirectories(auditDir);
        Path file = auditDir.resolve(FileAuditLog.FILE_NAME);
        Files.writeString(file, "{\"time\":\"2024-05-01T10:00:00Z\",\"type\":\"audit.checkpoint\",\"upTo\":7}\n"
                + "{\"time\":\"2024-05-01T10:00:0\n", StandardCharsets.UTF_8);
        try (FrameReceiver siem = FrameReceiver.plain()) {
            SyslogConfig config = new SyslogConfig(new HostPort("127.0.0.1", siem.port()), false, null,
                    SyslogConfig.Format.JSON, "portier");
            try (SyslogForwarder feed = SyslogForwarder.start(config, auditDir, null, RsyslogFeedEndToEndTest.FAST)) {
                await(() -> feed.deliveredOffset() == size(file));
                Files.writeString(file, "{\"type\":\"half", StandardOpenOption.APPEND);
                Thread.sleep(300);
                assertEquals(size(file) - "{\"type\":\"half".length(), feed.deliveredOffset(),
                        "a line still being written waits for its newline");
            }
            assertEquals(1, siem.messages().size(), siem.messages().toString());
            assertTrue(siem.messages().get(0).contains(" audit.checkpoint [portier@32473 id=\""), siem.messages().get(0));
        }
    }

    @Test
    @SuppressWarnings("try") // the resource is held, not used
    void pseudonymisedExportCarriesNoUserName() throws Exception {
        Path auditDir = tmp.resolve("audit");
        try (FileAuditLog audit = new FileAuditLog(auditDir); FrameReceiver siem = FrameReceiver.plain()) {
            audit.record(AuditEvent.of("request.created", "alice", "rtr-bru-01", null, "allow", "filed by alice",
                    Map.of("approvers", List.of("bob"))));
            SyslogConfig config = new SyslogConfig(new HostPort("127.0.0.1", siem.port()), false, null,
                    SyslogConfig.Format.CEF, "portier");
            Pseudonymizer p = new Pseudonymizer(new byte[32], List.of());
            try (SyslogForwarder feed = SyslogForwarder.start(config, auditDir, p, RsyslogFeedEndToEndTest.FAST)) {
                await(() -> siem.messages().size() >= 1);
            }
            String msg = siem.messages().get(0);
            assertTrue(msg.contains("suser=" + p.pseudonym("alice")), msg);
            assertTrue(!msg.contains("alice") && !msg.contains("bob"), msg);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }

    private static X509Certificate selfSigned(KeyPair kp) throws Exception {
        X500Name name = new X500Name("CN=siem.test");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), name, kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    }
}
