package dev.portier.gateway.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.config.ConfigLoader;
import dev.portier.gateway.Gateway;
import dev.portier.gateway.http.SelfSignedCertificate;
import dev.portier.gateway.keycloak.TestRealms;
import dev.portier.testsupport.FreePort;
import dev.portier.testsupport.keycloak.Keycloak;
import dev.portier.vault.Credential;
import dev.portier.vault.Vault;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A gateway with the test Keycloak's employees and partners realms, on free loopback ports, with its
 * {@code https://127.0.0.1:PORT/callback} registered as a redirect URI of both realms' {@code portier} client (as an
 * administrator registers Portier's public URL), and an HTTP client that trusts exactly Portier's certificate.
 */
public final class KeycloakGateway implements AutoCloseable {
    public final Keycloak kc = Keycloak.shared();
    public final Path data;
    public final int sshPort = FreePort.find();
    public final int httpsPort = FreePort.find();
    public final Gateway gateway;
    public final X509Certificate certificate;
    public final PortalClient client;

    /**
     * @param keycloakExtra lines added under {@code identity.keycloak} (4-space indent), e.g. leavers or portal
     * @param rest          targets and policies (top-level YAML)
     */
    public KeycloakGateway(Path dir, String keycloakExtra, String rest) throws Exception {
        data = dir.resolve("data");
        Vault vault = Vault.open(data);
        vault.put("keycloak", "employees-admin", new Credential.Password(TestRealms.EMPLOYEES_ADMIN_SECRET));
        vault.put("keycloak", "partners-admin", new Credential.Password(TestRealms.PARTNERS_ADMIN_SECRET));
        for (String realm : new String[] {TestRealms.EMPLOYEES, TestRealms.PARTNERS}) {
            registerRedirect(realm, "https://127.0.0.1:" + httpsPort + "/callback");
        }
        String yaml = """
                server:
                  dataDir: %s
                  ssh: { listen: "127.0.0.1:%d" }
                  https: { listen: "127.0.0.1:%d" }
                identity:
                  local:
                    users: []
                  keycloak:
                    url: "%s"
                    admin: { realm: employees, clientId: portier-admin, clientSecret: "vault:keycloak/employees-admin" }
                    realms:
                      - { name: employees, clientId: portier, sshAuth: [publickey, device] }
                      - name: partners
                        clientId: portier
                        admin: { clientId: portier-admin, clientSecret: "vault:keycloak/partners-admin" }
                %s
                %s""".formatted(data, sshPort, httpsPort, kc.url(), keycloakExtra, rest);
        gateway = Gateway.start(ConfigLoader.parse(yaml, "keycloak-gateway-test.yaml"));
        try (InputStream in = Files.newInputStream(data.resolve("tls").resolve(SelfSignedCertificate.CERT_FILE))) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        client = new PortalClient(httpsPort, trusting(certificate));
    }

    /** Adds {@code uri} to the valid redirect URIs of the realm's {@code portier} client, through the admin API. */
    private void registerRedirect(String realm, String uri) {
        String clients = "/admin/realms/" + realm + "/clients";
        var found = kc.tokens().admin("GET", clients + "?clientId=" + TestRealms.CLIENT, null);
        if (!found.ok()) {
            throw new IllegalStateException("cannot read the portier client: " + found.error());
        }
        JsonNode client = found.json().get(0);
        ((ArrayNode) client.get("redirectUris")).add(uri);
        var put = kc.tokens().admin("PUT", clients + "/" + client.get("id").asText(), ((ObjectNode) client).toString());
        if (put.status() != 204) {
            throw new IllegalStateException("cannot register the redirect URI: HTTP " + put.status());
        }
    }

    /** Trusts {@code cert} and nothing else. */
    public static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("portier", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    public String auditLog() throws Exception {
        return Files.readString(data.resolve("audit").resolve("audit.jsonl"));
    }

    @Override
    public void close() {
        gateway.close();
    }
}
