package dev.portier.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.config.ConfigLoader;
import dev.portier.gateway.Gateway;
import dev.portier.gateway.http.SelfSignedCertificate;
import dev.portier.testsupport.FreePort;
import dev.portier.testsupport.Keys;
import dev.portier.testsupport.OpenSshClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real gateway for REST tests: Portier's SSH front (for the {@code token} command, driven by the real
 * OpenSSH client) and its HTTPS front on free loopback ports, and a JDK {@link HttpClient} that trusts exactly
 * the certificate Portier generated. Targets need no running server: no session is opened to them.
 */
final class ApiGateway implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final Path data;
    final Map<String, Path> keys = new HashMap<>();
    final int sshPort = FreePort.find();
    final int httpsPort = FreePort.find();
    final String yaml;
    final Gateway gateway;
    final HttpClient http;

    /** A JSON answer. */
    record Reply(int status, JsonNode json, HttpResponse<String> raw) {
        String error() {
            return json.path("error").asText();
        }
    }

    ApiGateway(Path dir) throws Exception {
        data = dir.resolve("data");
        Path keyDir = dir.resolve("keys");
        for (String u : new String[] {"alice", "bob", "carol", "erin"}) {
            keys.put(u, Keys.ed25519(keyDir, u));
        }
        String hostKey = Keys.publicKeyLine(Keys.ed25519(keyDir, "unused-target-host"));
        yaml = """
                server:
                  dataDir: %s
                  ssh: { listen: "127.0.0.1:%d" }
                  https: { listen: "127.0.0.1:%d" }
                identity:
                  local:
                    users:
                      - { name: alice, teams: [netops], roles: [operator], sshKeys: ["%s"] }
                      - { name: bob, teams: [security], roles: [approver], sshKeys: ["%s"] }
                      - { name: carol, teams: [audit], roles: [auditor], sshKeys: ["%s"] }
                      - { name: erin, teams: [netops], roles: [operator], sshKeys: ["%s"] }
                targets:
                  - { name: srv-a, address: "127.0.0.1:1", hostKey: "%s", classification: internal,
                      labels: { kind: approved-only }, accounts: [admin, ops] }
                  - { name: srv-b, address: "127.0.0.1:1", hostKey: "%s", classification: internal,
                      labels: { kind: approved-only }, accounts: [admin] }
                  - { name: srv-c, address: "127.0.0.1:1", hostKey: "%s", classification: internal,
                      labels: { kind: approved-only }, accounts: [admin] }
                  - { name: srv-d, address: "127.0.0.1:1", hostKey: "%s", classification: internal,
                      labels: { kind: approved-only }, accounts: [admin] }
                policies:
                  - name: netops-approved
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: approved-only } }
                    channels: [shell, exec]
                    approval: { required: true, approvers: [{ teams: [security] }], count: 1, maxDuration: 2h }
                """.formatted(data, sshPort, httpsPort, pub("alice"), pub("bob"), pub("carol"), pub("erin"),
                hostKey, hostKey, hostKey, hostKey);
        gateway = Gateway.start(ConfigLoader.parse(yaml, "api-test.yaml"));
        http = HttpClient.newBuilder().sslContext(trusting(certificate())).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private String pub(String user) {
        return Keys.publicKeyLine(keys.get(user));
    }

    /** The certificate Portier wrote on first start, read as a client that pinned it would. */
    X509Certificate certificate() throws Exception {
        try (InputStream in = Files.newInputStream(data.resolve("tls").resolve(SelfSignedCertificate.CERT_FILE))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Trusts {@code cert} and nothing else (no system CAs, no trust-all). */
    static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("portier", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    OpenSshClient ssh(String user) {
        return OpenSshClient.to("127.0.0.1", sshPort, user, keys.get(user));
    }

    /** A token obtained the way a person does: {@code ssh -p PORT user@portier token}. */
    String token(String user) {
        OpenSshClient.Result r = ssh(user).ssh("token");
        if (r.exit() != 0) {
            throw new IllegalStateException("token for " + user + " failed: " + r.stderr());
        }
        return r.stdout().strip();
    }

    URI uri(String path) {
        return URI.create("https://127.0.0.1:" + httpsPort + path);
    }

    Reply get(String path, String token) {
        return send(authorized(HttpRequest.newBuilder(uri(path)).GET(), token));
    }

    Reply post(String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(authorized(b, token));
    }

    static HttpRequest.Builder authorized(HttpRequest.Builder b, String token) {
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    Reply send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
            return new Reply(r.statusCode(), json, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String auditLog() {
        try {
            return Files.readString(data.resolve("audit").resolve("audit.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        gateway.close();
    }
}
