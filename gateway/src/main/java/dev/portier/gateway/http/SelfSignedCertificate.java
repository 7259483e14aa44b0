package dev.portier.gateway.http;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Portier's own TLS certificate until one is configured: an ECDSA P-256 key and a self-signed certificate,
 * generated with BouncyCastle on first start under {@code <data>/tls/} (the key created 0600, never written
 * first and restricted later) and reused afterwards, so clients that pinned it stay valid. A certificate that
 * has expired is replaced.
 */
public final class SelfSignedCertificate {
    public static final String KEY_FILE = "portier.key";
    public static final String CERT_FILE = "portier.crt";
    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificate.class);
    private static final Duration VALIDITY = Duration.ofDays(730);
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private final PrivateKey key;
    private final X509Certificate certificate;

    private SelfSignedCertificate(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    PrivateKey key() {
        return key;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Loads the pair under {@code tlsDir}, or creates it; {@code listenHost} joins the certificate's names. */
    public static SelfSignedCertificate loadOrCreate(Path tlsDir, String listenHost) throws IOException {
        Path keyFile = tlsDir.resolve(KEY_FILE);
        Path certFile = tlsDir.resolve(CERT_FILE);
        if (Files.exists(keyFile) && Files.exists(certFile)) {
            SelfSignedCertificate existing = load(keyFile, certFile);
            if (existing.certificate.getNotAfter().toInstant().isAfter(Instant.now())) {
                return existing;
            }
            LOG.warn("the self-signed TLS certificate {} has expired; generating a new one", certFile);
        }
        return create(tlsDir, keyFile, certFile, listenHost);
    }

    private static SelfSignedCertificate load(Path keyFile, Path certFile) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new IOException(keyFile + " is readable by others; run: chmod 600 " + keyFile);
        }
        try {
            PrivateKey key;
            try (Reader r = Files.newBufferedReader(keyFile); PEMParser pem = new PEMParser(r)) {
                if (!(pem.readObject() instanceof PrivateKeyInfo info)) {
                    throw new IOException(keyFile + " holds no PKCS#8 private key");
                }
                key = new JcaPEMKeyConverter().getPrivateKey(info);
            }
            X509Certificate cert;
            try (Reader r = Files.newBufferedReader(certFile); PEMParser pem = new PEMParser(r)) {
                if (!(pem.readObject() instanceof X509CertificateHolder holder)) {
                    throw new IOException(certFile + " holds no certificate");
                }
                cert = new JcaX509CertificateConverter().getCertificate(holder);
            }
            checkPair(key, cert);
            return new SelfSignedCertificate(key, cert);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("cannot read the TLS key and certificate under " + keyFile.getParent() + " ("
                    + e.getMessage() + "); remove both files to generate new ones", e);
        }
    }

    /** A key and a certificate from different pairs would fail every handshake: refuse them at startup. */
    private static void checkPair(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(probe);
        if (!s.verify(sig)) {
            throw new GeneralSecurityException("the key does not belong to the certificate");
        }
    }

    private static SelfSignedCertificate create(Path dir, Path keyFile, Path certFile, String listenHost)
            throws IOException {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = gen.generateKeyPair();
            X509Certificate cert = certificate(kp, names(listenHost));
            Files.createDirectories(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            writeAtomically(keyFile, pem(new JcaPKCS8Generator(kp.getPrivate(), null)), "rw-------");
            writeAtomically(certFile, pem(cert), "rw-r--r--");
            LOG.info("generated a self-signed TLS certificate in {} for {}", certFile, names(listenHost));
            return new SelfSignedCertificate(kp.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot generate a TLS certificate: " + e.getMessage(), e);
        }
    }

    private static X509Certificate certificate(KeyPair kp, Set<String> names)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=Portier gateway (self-signed)");
        BigInteger serial = new BigInteger(128, new SecureRandom());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, kp.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        GeneralName[] alt = names.stream().map(n -> new GeneralName(IP_LITERAL.matcher(n).matches()
                ? GeneralName.iPAddress : GeneralName.dNSName, n)).toArray(GeneralName[]::new);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    }

    /** localhost, the loopback addresses, this machine's name and the listen address when it is specific. */
    private static Set<String> names(String listenHost) {
        Set<String> names = new LinkedHashSet<>(java.util.List.of("localhost", "127.0.0.1", "::1"));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (!host.isBlank() && !IP_LITERAL.matcher(host).matches()) {
                names.add(host);
            }
        } catch (IOException e) {
            LOG.debug("no host name for the TLS certificate: {}", e.getMessage());
        }
        if (listenHost != null && !listenHost.equals("0.0.0.0") && !listenHost.equals("::") && !listenHost.contains("%")) {
            names.add(listenHost);
        }
        return names;
    }

    private static byte[] pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(o);
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Created with its final permissions under a temporary name, then moved into place. */
    private static void writeAtomically(Path file, byte[] content, String perms) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms)));
        Files.write(tmp, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The certificate as PEM text, for clients that pin it. */
    public String certificatePem() throws IOException {
        return new String(pem(certificate), StandardCharsets.UTF_8);
    }
}
