package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.gateway.Gateway;
import dev.portier.gateway.cli.PortierCli;
import dev.portier.gateway.siem.Pseudonymizer;
import dev.portier.vault.Vault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An audited tool used while the gateway runs in another process (which holds the audit log's lock): the tool's
 * event reaches the chain through the gateway, the tool answers, and the log still verifies.
 */
class ToolAuditBesideGatewayE2ETest {
    @TempDir
    static Path tmp;

    @Test
    void pseudonymResolveWhileTheGatewayRunsIsAuditedByTheGateway() throws Exception {
        try (PortierHarness h = new PortierHarness(tmp)) {
            Path cfg = tmp.resolve("portier.yaml");
            Files.writeString(cfg, h.yaml(h.sshd.hostKeyLine(), "", ""));
            byte[] key = Pseudonymizer.keyOrCreate(Vault.open(h.data));
            String alice = new Pseudonymizer(key, List.of()).pseudonym("alice");
            try (GatewayProcess gw = GatewayProcess.serve(cfg, h.port, tmp.resolve("gateway.log"))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrintStream old = System.out;
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                int status;
                try {
                    status = PortierCli.run("pseudonym", "resolve", alice, "--as", "carol", "--reason", "INC-7",
                            "--config", cfg.toString());
                } finally {
                    System.setOut(old);
                }
                assertEquals(0, status, gw.log());
                assertEquals("alice", out.toString(StandardCharsets.UTF_8).trim());
                String audit = h.auditLog();
                String line = audit.lines().filter(l -> l.contains("\"type\":\"pseudonym.resolved\"")).findFirst()
                        .orElseThrow(() -> new AssertionError("no pseudonym.resolved event in " + audit));
                assertTrue(line.contains("\"actor\":\"carol\"") && line.contains("\"user\":\"alice\"")
                        && line.contains("\"via\":\"inbox\"") && line.contains("\"reason\":\"INC-7\""), line);
            }
            ECKey pub = ECKey.parse(Files.readString(h.data.resolve("keys").resolve(Gateway.EVIDENCE_PUBLIC_KEY_FILE)));
            var verdict = FileAuditLog.verify(h.data.resolve("audit").resolve(FileAuditLog.FILE_NAME), pub);
            assertTrue(verdict.valid(), "the gateway's chain takes the tool's event and still verifies: " + verdict
                    + "\n" + h.auditLog());
        }
    }

    @Test
    void searchOnTheCommandLineWhileTheGatewayRunsReadsItsIndexAndIsAudited() throws Exception {
        try (PortierHarness h = new PortierHarness(tmp.resolve("search"))) {
            Path cfg = tmp.resolve("search.yaml");
            Files.writeString(cfg, h.yaml(h.sshd.hostKeyLine(), "", ""));
            try (GatewayProcess gw = GatewayProcess.serve(cfg, h.port, tmp.resolve("search-gateway.log"))) {
                var r = h.alice("srv-1").ssh("echo beside-$((40+2))");
                assertEquals(0, r.exit(), r.stderr());
                String[] out = new String[1];
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
                int status;
                do {
                    // The gateway indexes the recording when it closes and commits shortly after.
                    status = cli(out, "recordings", "search", "--grep", "beside-42", "--as", "carol", "--config",
                            cfg.toString());
                } while ((status != 0 || !out[0].contains("beside-42")) && System.nanoTime() < deadline
                        && sleep(500));
                assertEquals(0, status, out[0] + gw.log());
                assertTrue(out[0].contains("alice") && out[0].contains("srv-1") && out[0].contains("beside-42"), out[0]);
                String audit = h.auditLog();
                assertTrue(audit.lines().anyMatch(l -> l.contains("\"type\":\"recording.searched\"")
                        && l.contains("\"actor\":\"carol\"") && l.contains("\"via\":\"inbox\"")), audit);
            }
        }
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private static int cli(String[] out, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return PortierCli.run(args);
        } finally {
            System.setOut(old);
            out[0] = buf.toString(StandardCharsets.UTF_8);
        }
    }
}
