package dev.portier.gateway.e2e;

import dev.portier.config.ConfigLoader;
import dev.portier.config.PortierConfig;
import dev.portier.gateway.Gateway;
import dev.portier.gateway.evidence.VaultRecordingKeys;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingStore;
import dev.portier.testsupport.FreePort;
import dev.portier.testsupport.Keys;
import dev.portier.testsupport.OpenSshClient;
import dev.portier.testsupport.OpenSshServer;
import dev.portier.vault.Credential;
import dev.portier.vault.Vault;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A whole Portier on loopback for end-to-end tests: a real OpenSSH {@code sshd} target whose key Portier
 * holds in its vault, users with real key pairs, and the gateway itself. Tests drive it with the real
 * OpenSSH clients.
 */
final class PortierHarness implements AutoCloseable {
    final Path dir;
    final Path data;
    final Path aliceKey;
    final Path bobKey;
    final Path malloryKey;
    final Path targetKey;
    final OpenSshServer sshd;
    final int port;
    final int httpsPort;
    private Gateway gateway;

    PortierHarness(Path dir) throws Exception {
        this.dir = dir;
        this.data = dir.resolve("data");
        Path keys = Files.createDirectories(dir.resolve("keys"));
        aliceKey = Keys.ed25519(keys, "alice");
        bobKey = Keys.ed25519(keys, "bob");
        malloryKey = Keys.ed25519(keys, "mallory");
        targetKey = Keys.ed25519(keys, "portier-to-target");
        sshd = OpenSshServer.builder().authorize(Keys.publicKeyLine(targetKey)).start();
        port = FreePort.find();
        httpsPort = FreePort.find();
        Vault vault = Vault.open(data);
        vault.put("srv-1", sshd.user(), new Credential.PrivateKey(Files.readString(targetKey)));
    }

    /** The default test configuration; {@code extraTargets} and {@code extraPolicies} are YAML list items. */
    String yaml(String srvHostKey, String extraTargets, String extraPolicies) {
        return """
                server:
                  dataDir: %s
                  ssh: { listen: "127.0.0.1:%d" }
                  https: { listen: "127.0.0.1:%d" }
                identity:
                  local:
                    users:
                      - { name: alice, teams: [netops], roles: [operator], sshKeys: ["%s"] }
                      - { name: bob, teams: [security], roles: [approver], sshKeys: ["%s"] }
                targets:
                  - name: srv-1
                    address: "127.0.0.1:%d"
                    hostKey: "%s"
                    owner: netops
                    classification: internal
                    labels: { kind: server }
                    accounts: [%s]
                %s
                policies:
                  - name: netops-servers
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: server } }
                    channels: [shell, exec, sftp]
                %s
                """.formatted(data, port, httpsPort, Keys.publicKeyLine(aliceKey), Keys.publicKeyLine(bobKey), sshd.port(),
                srvHostKey, sshd.user(), extraTargets, extraPolicies);
    }

    PortierHarness start() throws Exception {
        return start(yaml(sshd.hostKeyLine(), "", ""));
    }

    PortierHarness start(String yaml) throws Exception {
        PortierConfig cfg = ConfigLoader.parse(yaml, "test.yaml");
        gateway = Gateway.start(cfg);
        return this;
    }

    Gateway gateway() {
        return gateway;
    }

    /** Stops the gateway (the target stays up), e.g. to run CLI commands that need the data directory alone. */
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }

    /** A real OpenSSH client logging in to Portier as {@code login} with {@code key}. */
    OpenSshClient client(String login, Path key) {
        return OpenSshClient.to("127.0.0.1", port, login, key);
    }

    OpenSshClient alice(String target) {
        return client(target == null ? "alice" : "alice:" + target, aliceKey);
    }

    /** Every file Portier wrote under its data directory, as text, for leak checks. */
    String everythingWritten() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return readEverything();
            } catch (UncheckedIOException | java.nio.file.NoSuchFileException e) {
                // A temporary file the gateway renamed while we walked (a recording's summary being replaced).
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private String readEverything() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                sb.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * The content of every recording, decrypted (plain asciicast and structured events), for leak checks that must
     * see through encryption at rest: a secret must be neither in a file nor in what a file decrypts to.
     */
    String everythingRecorded() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (RecordingStore store = new RecordingStore(data.resolve("recordings"), VaultRecordingKeys.of(data))) {
            for (RecordingInfo r : store.list()) {
                try (InputStream cast = store.openPlain(r.id()); InputStream events = store.openEvents(r.id())) {
                    sb.append(new String(cast.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
                    sb.append(new String(events.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
                }
            }
        }
        return sb.toString();
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
        if (gateway != null) {
            gateway.close();
        }
        sshd.close();
    }
}
