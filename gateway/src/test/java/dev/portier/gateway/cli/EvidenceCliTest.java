package dev.portier.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.access.audit.AuditEvent;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.gateway.Gateway;
import dev.portier.recorder.RecorderSettings;
import dev.portier.recorder.RecordingMetadata;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.SessionRecorder;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.vault.Vault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portier keys export}, {@code portier verify} and {@code portier audit verify}: output and exit status. */
class EvidenceCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private record Run(int exit, String out) {
    }

    private Run cli(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            String[] all = Arrays.copyOf(args, args.length + 2);
            all[args.length] = "--data";
            all[args.length + 1] = data.toString();
            return new Run(PortierCli.run(all), buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    private EvidenceSigner evidenceKey() throws Exception {
        return Gateway.evidenceSigner(Vault.open(data), data);
    }

    private String record(EvidenceSigner key) throws Exception {
        try (RecordingStore store = new RecordingStore(data.resolve("recordings"), key, RecorderSettings.DEFAULTS)) {
            SessionRecorder r = store.open(new RecordingMetadata("s-1", "alice", "rtr-bru-01", "admin", "shell", null,
                    80, 24, "xterm", Instant.now(), false), e -> { });
            byte[] out = "show version\r\nPortier demo router\r\n".getBytes(StandardCharsets.UTF_8);
            r.output(out, 0, out.length);
            r.close(0, "exit");
            return store.list().get(0).id();
        }
    }

    @Test
    void keysExportPrintsTheEvidenceAndGrantPublicKeys() throws Exception {
        Run run = cli("keys", "export");
        assertEquals(0, run.exit(), run.out());
        JsonNode keys = JSON.readTree(run.out());
        for (String name : new String[] {"evidence", "grant"}) {
            assertEquals("EC", keys.get(name).get("kty").asText(), name);
            assertTrue(!keys.get(name).has("d"), "no private part in " + name);
        }
        JsonNode file = JSON.readTree(Files.readString(data.resolve("keys").resolve(Gateway.EVIDENCE_PUBLIC_KEY_FILE)));
        assertEquals(keys.get("evidence"), file);
        assertEquals(keys.get("evidence").get("kid").asText(), evidenceKey().keyId(), "the same key on every call");
    }

    @Test
    void verifyExitsZeroOnlyForAValidRecording() throws Exception {
        String id = record(evidenceKey());
        Run valid = cli("verify", id);
        assertEquals(0, valid.exit(), valid.out());
        assertTrue(valid.out().startsWith("VALID: "), valid.out());

        Path cast = data.resolve("recordings").resolve(id + ".cast");
        Path chain = data.resolve("recordings").resolve(id + ".chain");
        byte[] castBytes = Files.readAllBytes(cast);
        byte[] chainBytes = Files.readAllBytes(chain);

        byte[] flipped = castBytes.clone();
        flipped[flipped.length - 5] ^= 0x01;
        Files.write(cast, flipped);
        Run tampered = cli("verify", cast.toString());
        assertEquals(1, tampered.exit(), tampered.out());
        assertTrue(tampered.out().startsWith("TAMPERED: chunk 1 (t="), tampered.out());

        Files.write(cast, castBytes);
        String text = new String(chainBytes, StandardCharsets.US_ASCII);
        Files.writeString(chain, text.substring(0, text.lastIndexOf('\n', text.length() - 2) + 1));
        Run truncated = cli("verify", id);
        assertEquals(3, truncated.exit(), truncated.out());
        assertTrue(truncated.out().startsWith("TRUNCATED: "), truncated.out());
    }

    @Test
    void verifyWithAnotherKeyIsTampered() throws Exception {
        String id = record(EvidenceSigner.generate());
        evidenceKey(); // exports the real key
        Run run = cli("verify", id);
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().startsWith("TAMPERED: "), run.out());
    }

    @Test
    void auditVerifyExitsZeroOnlyForAValidLog() throws Exception {
        EvidenceSigner key = evidenceKey();
        try (FileAuditLog log = new FileAuditLog(data.resolve("audit"), key::sign)) {
            log.record(AuditEvent.of("auth.success", "alice", null, null, "allow", "public key", Map.of()));
            log.record(AuditEvent.of("session.start", "alice", "rtr-bru-01", "s-1", "allow", "standing", Map.of()));
        }
        Run valid = cli("audit", "verify");
        assertEquals(0, valid.exit(), valid.out());
        assertTrue(valid.out().startsWith("VALID: 2 events"), valid.out());

        Path file = data.resolve("audit").resolve(FileAuditLog.FILE_NAME);
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 10));
        Run truncated = cli("audit", "verify");
        assertEquals(3, truncated.exit(), truncated.out());
        assertTrue(truncated.out().startsWith("TRUNCATED: "), truncated.out());

        Files.writeString(file, text.replace("\"actor\":\"alice\"", "\"actor\":\"mallory\""));
        Run tampered = cli("audit", "verify");
        assertEquals(1, tampered.exit(), tampered.out());
        assertTrue(tampered.out().startsWith("TAMPERED: line 1"), tampered.out());
    }
}
