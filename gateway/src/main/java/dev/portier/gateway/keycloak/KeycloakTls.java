package dev.portier.gateway.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS trust towards Keycloak: exactly the authorities of {@code identity.keycloak.caFile}, or the JVM's. */
final class KeycloakTls {
    private KeycloakTls() {
    }

    /** An SSL context trusting the certificates of {@code caFile} and nothing else; the JVM's when it is null. */
    static SSLContext context(Path caFile) throws KeycloakException {
        try {
            if (caFile == null) {
                return SSLContext.getDefault();
            }
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(caFile)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certs.isEmpty()) {
                throw new KeycloakException("identity.keycloak.caFile " + caFile + " holds no PEM certificate");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new KeycloakException("cannot read identity.keycloak.caFile " + caFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new KeycloakException("identity.keycloak.caFile " + caFile + " is not usable: " + e.getMessage(), e);
        }
    }
}
