package dev.portier.gateway.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.access.audit.AuditEvent;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.gateway.cli.PortierCli;
import dev.portier.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymizerTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    @Test
    void pseudonymIsAKeyedHmacPrefix() {
        Pseudonymizer p = new Pseudonymizer(KEY, List.of());
        String alice = p.pseudonym("alice");
        assertTrue(alice.matches("p-[0-9a-f]{16}"), alice);
        assertEquals(alice, new Pseudonymizer(KEY, List.of()).pseudonym("alice"));
        assertNotEquals(alice, new Pseudonymizer(new byte[32], List.of()).pseudonym("alice"));
        assertNotEquals(alice, p.pseudonym("bob"));
    }

    @Test
    void everyIdentityFieldIsReplacedAndNoNameLeaks() {
        Pseudonymizer p = new Pseudonymizer(KEY, List.of("carol"));
        ObjectNode out = p.apply(event("{\"type\":\"request.created\",\"actor\":\"alice\",\"reason\":\"asked by alice,"
                + " cc carol\",\"approvers\":[\"bob\",\"carol\"],\"login\":\"alice:admin@rtr-bru-01\","
                + "\"details\":{\"user\":\"dave\"},\"requester\":\"alice\",\"hash\":\"" + "a".repeat(64) + "\"}"));
        String a = p.pseudonym("alice");
        assertEquals(a, out.get("actor").asText());
        assertEquals(a, out.get("requester").asText());
        assertEquals(List.of(p.pseudonym("bob"), p.pseudonym("carol")),
                List.of(out.get("approvers").get(0).asText(), out.get("approvers").get(1).asText()));
        assertEquals(a + ":admin@rtr-bru-01", out.get("login").asText());
        assertEquals(p.pseudonym("dave"), out.get("details").get("user").asText());
        assertEquals("asked by " + a + ", cc " + p.pseudonym("carol"), out.get("reason").asText());
        for (String name : List.of("alice", "bob", "carol", "dave")) {
            assertFalse(out.toString().contains("\"" + name) || out.toString().contains(" " + name), out.toString());
        }
        assertEquals("a".repeat(64), out.get("hash").asText());
    }

    @Test
    void portierItselfStaysReadable() {
        Pseudonymizer p = new Pseudonymizer(KEY, List.of());
        assertEquals("portier", p.apply(event("{\"type\":\"gateway.start\",\"actor\":\"portier\"}")).get("actor").asText());
    }

    @Test
    void resolverFindsANameSeenOnlyInTheAuditLog() throws Exception {
        Path auditDir = tmp.resolve("audit");
        try (FileAuditLog log = new FileAuditLog(auditDir)) {
            log.record(AuditEvent.of("auth.success", "kate", null, "s1", "allow", "publickey", Map.of()));
        }
        String kate = new Pseudonymizer(KEY, List.of()).pseudonym("kate");
        assertEquals(Optional.of("kate"), new PseudonymResolver(KEY).resolve(kate, List.of("alice"),
                auditDir.resolve(FileAuditLog.FILE_NAME)));
        assertEquals(Optional.empty(), new PseudonymResolver(KEY).resolve("p-0000000000000000", List.of("alice"),
                auditDir.resolve(FileAuditLog.FILE_NAME)));
    }

    @Test
    void cliResolveIsAuditedWithTheAuditorAndTheName() throws Exception {
        Path data = tmp.resolve("data");
        byte[] key = Pseudonymizer.keyOrCreate(Vault.open(data));
        var signer = dev.portier.gateway.Gateway.evidenceSigner(Vault.open(data), data);
        try (FileAuditLog log = new FileAuditLog(data.resolve("audit"), signer::sign)) {
            log.record(AuditEvent.of("auth.success", "alice", null, "s1", "allow", "publickey", Map.of()));
        }
        String alice = new Pseudonymizer(key, List.of()).pseudonym("alice");
        assertEquals(0, PortierCli.run("pseudonym", "resolve", alice, "--as", "carol", "--reason", "INC-42",
                "--data", data.toString()));
        String last = lastLine(data);
        assertTrue(last.contains("\"type\":\"pseudonym.resolved\",\"actor\":\"carol\""), last);
        assertTrue(last.contains("\"pseudonym\":\"" + alice + "\"") && last.contains("\"user\":\"alice\""), last);
        assertTrue(FileAuditLog.verify(data.resolve("audit").resolve(FileAuditLog.FILE_NAME),
                com.nimbusds.jose.jwk.ECKey.parse(signer.publicJwk())).valid());
    }

    @Test
    void cliRefusesAnUnknownPseudonymButAuditsTheAttempt() throws Exception {
        Path data = tmp.resolve("data");
        Pseudonymizer.keyOrCreate(Vault.open(data));
        assertEquals(1, PortierCli.run("pseudonym", "resolve", "p-0123456789abcdef", "--data", data.toString()));
        assertTrue(lastLine(data).contains("\"decision\":\"deny\""), lastLine(data));
        assertEquals(2, PortierCli.run("pseudonym", "resolve", "alice", "--data", data.toString()));
    }

    private static String lastLine(Path data) throws Exception {
        // The last event, not the signed checkpoint the log writes when it closes.
        List<String> lines = Files.readAllLines(data.resolve("audit").resolve(FileAuditLog.FILE_NAME)).stream()
                .filter(l -> !l.contains("\"type\":\"audit.checkpoint\"")).toList();
        return lines.get(lines.size() - 1);
    }

    private static ObjectNode event(String json) {
        return AuditRecord.parse(json.getBytes(StandardCharsets.UTF_8)).node();
    }
}
