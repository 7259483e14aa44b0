package dev.portier.access.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attacks on the audit log's evidence, and crashes, against the verifier (format: docs/evidence.md). */
class AuditEvidenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestEvidenceKey KEY = new TestEvidenceKey();
    private static final TestEvidenceKey OTHER_KEY = new TestEvidenceKey();

    @TempDir
    static Path data;
    static byte[] log;
    static byte[] otherLog;

    @TempDir
    Path work;

    @BeforeAll
    static void writeLogs() throws Exception {
        // Five openings: five final checkpoints whatever the load, plus those the 50 ms timer adds.
        log = writeLog(data.resolve("a"), 60, 5);
        otherLog = writeLog(data.resolve("b"), 20, 1);
        long checkpoints = lines(log).stream().filter(l -> l.contains("\"type\":\"audit.checkpoint\"")).count();
        assertTrue(checkpoints >= 5, "several checkpoints: " + checkpoints);
    }

    /** {@code events} events over {@code sessions} openings, with checkpoints every 50 ms. */
    private static byte[] writeLog(Path dir, int events, int sessions) throws Exception {
        for (int s = 0; s < sessions; s++) {
            try (FileAuditLog audit = new FileAuditLog(dir, KEY, 50)) {
                for (int i = 0; i < events / sessions; i++) {
                    audit.record(new AuditEvent(Instant.now(), "session.start", "alice", "rtr-bru-01", "s-" + i, null,
                            "allow", "standing policy netops", Map.of("seq", i)));
                    Thread.sleep(12);
                }
            }
        }
        return Files.readAllBytes(dir.resolve(FileAuditLog.FILE_NAME));
    }

    @Test
    void intactLogIsValid() throws Exception {
        AuditVerification v = verify(log);
        assertEquals(AuditVerification.Status.VALID, v.status(), v.toString());
        assertEquals(60, v.events());
    }

    @Test
    void hundredRandomMutationsAreAllTampered() throws Exception {
        Random random = new Random(20261127L);
        String[] kinds = {"byte flip", "line removed", "lines swapped", "checkpoint from another log",
            "signature from another key", "chain rewritten after an edit"};
        for (int i = 0; i < 100; i++) {
            String kind = kinds[i % kinds.length];
            AuditVerification v = verify(mutate(kind, random));
            assertEquals(AuditVerification.Status.TAMPERED, v.status(), "mutation " + i + " (" + kind + "): " + v);
            assertTrue(v.firstProblem().startsWith("line "), v.toString());
        }
    }

    @Test
    void crashAtManyRandomPointsReadsTruncatedWithTheRightTime() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            int cut = random.nextInt(log.length);
            Instant expected = null;
            int at = 0;
            boolean endsWithClose = false;
            for (String line : lines(log)) {
                at += line.length() + 1;
                if (at > cut) {
                    break;
                }
                if (line.contains("\"type\":\"audit.checkpoint\"")) {
                    expected = Instant.parse(JSON.readTree(line).get("time").asText());
                }
                // The log was opened twice: a cut right after the first close leaves a complete, closed log.
                endsWithClose = at == cut && line.contains("\"final\":true");
            }
            AuditVerification v = verify(Arrays.copyOf(log, cut));
            if (cut == 0 || endsWithClose) {
                assertEquals(AuditVerification.Status.VALID, v.status(), "cut at " + cut + ": a complete log: " + v);
                continue;
            }
            assertEquals(AuditVerification.Status.TRUNCATED, v.status(), "cut at " + cut + ": " + v);
            assertEquals(expected, v.signedUpTo(), "cut at " + cut + ": " + v);
        }
    }

    @Test
    void unsignedLogIsNeverValid() throws Exception {
        Path dir = work.resolve("unsigned");
        try (FileAuditLog audit = new FileAuditLog(dir)) {
            audit.record(AuditEvent.of("auth.success", "alice", null, null, "allow", "key", Map.of()));
        }
        AuditVerification v = FileAuditLog.verify(dir.resolve(FileAuditLog.FILE_NAME), KEY.publicKey());
        assertEquals(AuditVerification.Status.TRUNCATED, v.status(), v.toString());
        assertEquals(null, v.signedUpTo());
    }

    private byte[] mutate(String kind, Random random) throws Exception {
        List<String> lines = new ArrayList<>(lines(log));
        List<Integer> checkpoints = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"type\":\"audit.checkpoint\"")) {
                checkpoints.add(i);
            }
        }
        switch (kind) {
            case "byte flip": {
                byte[] b = log.clone();
                b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                return b;
            }
            case "line removed": {
                // Not the last line: without its last checkpoint the log is a cut log, which reads TRUNCATED.
                lines.remove(random.nextInt(lines.size() - 1));
                return join(lines);
            }
            case "lines swapped": {
                int a = random.nextInt(lines.size() - 1);
                int b = a + 1 + random.nextInt(lines.size() - a - 1);
                String la = lines.get(a);
                lines.set(a, lines.get(b));
                lines.set(b, la);
                return join(lines);
            }
            case "checkpoint from another log": {
                List<String> others = lines(otherLog).stream()
                        .filter(l -> l.contains("\"type\":\"audit.checkpoint\"")).toList();
                lines.set(checkpoints.get(random.nextInt(checkpoints.size())), others.get(random.nextInt(others.size())));
                return join(lines);
            }
            case "signature from another key": {
                int at = checkpoints.get(random.nextInt(checkpoints.size()));
                return rechain(lines, at, -1, OTHER_KEY);
            }
            case "chain rewritten after an edit": {
                int at = random.nextInt(lines.size());
                while (checkpoints.contains(at)) {
                    at = random.nextInt(lines.size());
                }
                return rechain(lines, -1, at, random.nextBoolean() ? OTHER_KEY : null);
            }
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /**
     * What an attacker without the key can do: change line {@code edit} (or re-sign checkpoint {@code resign}), and
     * recompute every hash after it; checkpoints are re-signed with {@code key} when given, else left as they are.
     */
    private static byte[] rechain(List<String> lines, int resign, int edit, TestEvidenceKey key) throws Exception {
        List<String> out = new ArrayList<>();
        String prev = AuditLine.GENESIS;
        boolean changed = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            JsonNode n = JSON.readTree(line);
            String body = line.substring(0, line.length() - 75) + "}";
            body = body.replace("\"prevHash\":\"" + n.get("prevHash").asText() + "\"", "\"prevHash\":\"" + prev + "\"");
            if (i == edit) {
                body = body.replace("\"actor\":\"alice\"", "\"actor\":\"mallory\"");
                changed = true;
            }
            boolean checkpoint = line.contains("\"type\":\"audit.checkpoint\"");
            if (checkpoint && (i == resign || changed && key != null)) {
                String jws = n.get("jws").asText();
                String payload = new String(Base64.getUrlDecoder().decode(jws.split("\\.")[1]), StandardCharsets.UTF_8)
                        .replace(JSON.readTree(Base64.getUrlDecoder().decode(jws.split("\\.")[1])).get("head").asText(),
                                prev);
                body = body.replace(jws, (key != null ? key : OTHER_KEY).sign(payload.getBytes(StandardCharsets.UTF_8)));
            }
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((prev + "\n" + body).getBytes(StandardCharsets.UTF_8)));
            out.add(body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}");
            prev = hash;
        }
        return join(out);
    }

    private AuditVerification verify(byte[] content) throws Exception {
        Path file = work.resolve("audit.jsonl");
        Files.write(file, content);
        return FileAuditLog.verify(file, KEY.publicKey());
    }

    private static List<String> lines(byte[] file) {
        String s = new String(file, StandardCharsets.UTF_8);
        return List.of(s.substring(0, s.length() - 1).split("\n", -1));
    }

    private static byte[] join(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
