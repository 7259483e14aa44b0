package dev.portier.recorder.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import dev.portier.recorder.RecorderSettings;
import dev.portier.recorder.RecordingMetadata;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.SessionRecorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on a recording's evidence, and crashes, against the verifier (format: docs/evidence.md), on plain
 * recordings; {@link EncryptedRecordingEvidenceTest} runs the same on encrypted ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordingEvidenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final EvidenceSigner KEY = EvidenceSigner.generate();
    private static final EvidenceSigner OTHER_KEY = EvidenceSigner.generate();
    static final RecorderSettings FAST = new RecorderSettings(Duration.ofMillis(20), Duration.ofMillis(5),
            256 << 10, 1 << 20, 8 << 20).withCheckpointInterval(Duration.ofMillis(100));

    /** Each test's files. */
    @TempDir
    Path work;
    ECKey publicKey;
    String id;
    byte[] cast;
    byte[] chain;
    byte[] otherChain;

    /** A store that signs with {@link #KEY}; subclasses choose the format. */
    RecordingStore newStore(Path dir) {
        return new RecordingStore(dir, KEY, FAST);
    }

    /** The recordings under attack, made once per class (the lifecycle is per class, for subclasses). */
    @BeforeAll
    void record(@TempDir Path data) throws Exception {
        publicKey = EvidenceSigner.parsePublicJwk(KEY.publicJwk());
        try (RecordingStore store = newStore(data.resolve("recordings"))) {
            id = recordSession(store, 1200);
            String other = recordSession(store, 300);
            cast = Files.readAllBytes(store.castFile(id));
            chain = Files.readAllBytes(store.chainFile(id));
            otherChain = Files.readAllBytes(store.chainFile(other));
        }
        assertTrue(checkpoints(chain).size() >= 5, "several checkpoints: " + checkpoints(chain).size());
        assertTrue(chunks(chain).size() >= 15, "several chunks: " + chunks(chain).size());
    }

    private static String recordSession(RecordingStore store, long millis) throws Exception {
        SessionRecorder r = store.open(new RecordingMetadata("s-1", "alice", "rtr-bru-01", "admin", "shell", null,
                80, 24, "xterm", Instant.now(), true), e -> { });
        long end = System.nanoTime() + millis * 1_000_000;
        Random random = new Random(7);
        for (int i = 0; System.nanoTime() < end; i++) {
            byte[] out = ("line " + i + " " + "x".repeat(random.nextInt(200)) + "\r\n").getBytes(StandardCharsets.UTF_8);
            r.output(out, 0, out.length);
            if (i % 5 == 0) {
                byte[] in = "ls\r".getBytes(StandardCharsets.UTF_8);
                r.input(in, 0, in.length);
            }
            Thread.sleep(15);
        }
        r.close(0, "exit");
        return store.list().get(store.list().size() - 1).id();
    }

    @Test
    void intactRecordingIsValid() throws Exception {
        Verdict v = verify(cast, chain);
        assertEquals(Verdict.Status.VALID, v.status(), v.toString());
        List<JsonNode> chunks = chunks(chain);
        assertEquals(chunks.get(chunks.size() - 1).get("t").asDouble(), v.validUpTo());
    }

    @Test
    void hundredRandomMutationsAreAllTampered() throws Exception {
        Random random = new Random(20261127L);
        String[] kinds = {"cast byte flip", "chain byte flip", "chunk removed", "chunks swapped",
            "checkpoint from another recording", "signature from another key", "chain rewritten after an edit"};
        for (int i = 0; i < 100; i++) {
            String kind = kinds[i % kinds.length];
            byte[][] mutated = mutate(kind, random);
            Verdict v = verify(mutated[0], mutated[1]);
            assertEquals(Verdict.Status.TAMPERED, v.status(), "mutation " + i + " (" + kind + "): " + v);
            assertNotNull(v.badChunk(), v.toString());
        }
    }

    @Test
    void castByteFlipNamesTheChunkAndItsTime() throws Exception {
        List<JsonNode> chunks = chunks(chain);
        JsonNode victim = chunks.get(chunks.size() / 2);
        byte[] c = cast.clone();
        c[(int) victim.get("offset").asLong() + 3] ^= 0x20;
        Verdict v = verify(c, chain);
        assertEquals(Verdict.Status.TAMPERED, v.status(), v.toString());
        assertEquals(victim.get("seq").asLong(), v.badChunk());
        assertEquals(victim.get("t").asDouble(), v.badChunkTime());
    }

    @Test
    void crashAtManyRandomPointsReadsTruncatedWithTheRightTime() throws Exception {
        Random random = new Random(42);
        List<String> lines = lines(chain);
        for (int i = 0; i < 200; i++) {
            // What a kill -9 leaves: the chain cut anywhere, the cast at least as long as the chain covers.
            int chainCut = random.nextInt(chain.length);
            long covered = 0;
            Double expected = null;
            int at = 0;
            for (String line : lines) {
                int end = at + line.length() + 1;
                if (end > chainCut) {
                    break;
                }
                JsonNode n = JSON.readTree(line);
                if (n.has("type")) {
                    expected = n.get("t").asDouble();
                } else {
                    covered = n.get("offset").asLong() + n.get("length").asLong();
                }
                at = end;
            }
            int castCut = (int) (covered + random.nextInt((int) (cast.length - covered) + 1));
            Verdict v = verify(prefix(cast, castCut), prefix(chain, chainCut));
            assertEquals(Verdict.Status.TRUNCATED, v.status(), "cut at chain " + chainCut + ", cast " + castCut + ": " + v);
            assertEquals(expected, v.validUpTo(), "cut at chain " + chainCut + ", cast " + castCut + ": " + v);
        }
    }

    @Test
    void castCutShortReadsTruncatedUpToTheLastCompleteCheckpoint() throws Exception {
        Random random = new Random(43);
        List<JsonNode> records = records(chain);
        for (int i = 0; i < 100; i++) {
            int castCut = random.nextInt(cast.length);
            Double expected = null;
            for (JsonNode n : records) {
                if (!n.has("type") && n.get("offset").asLong() + n.get("length").asLong() > castCut) {
                    break;
                }
                if (n.has("type")) {
                    expected = n.get("t").asDouble();
                }
            }
            Verdict v = verify(prefix(cast, castCut), chain);
            assertEquals(Verdict.Status.TRUNCATED, v.status(), "cast cut at " + castCut + ": " + v);
            assertEquals(expected, v.validUpTo(), "cast cut at " + castCut + ": " + v);
        }
    }

    @Test
    void missingFinalCheckpointReadsTruncated() throws Exception {
        List<String> lines = lines(chain);
        Verdict v = verify(cast, join(lines.subList(0, lines.size() - 1)));
        assertEquals(Verdict.Status.TRUNCATED, v.status(), v.toString());
        assertNotNull(v.validUpTo());
    }

    @Test
    void missingChainFileReadsTruncatedWithNothingProven() throws Exception {
        Files.write(work.resolve("r.cast"), cast);
        Verdict v = RecordingVerifier.verify(work.resolve("r.cast"), work.resolve("r.chain"), publicKey);
        assertEquals(Verdict.Status.TRUNCATED, v.status());
        assertNull(v.validUpTo());
    }

    @Test
    void bytesAppendedToTheCastAfterTheFinalCheckpointAreTampering() throws Exception {
        byte[] c = java.util.Arrays.copyOf(cast, cast.length + 20);
        Verdict v = verify(c, chain);
        assertEquals(Verdict.Status.TAMPERED, v.status(), v.toString());
    }

    @Test
    void recordingCopiedWhileLiveReadsTruncatedNotTampered() throws Exception {
        try (RecordingStore store = newStore(work.resolve("recordings"))) {
            SessionRecorder r = store.open(new RecordingMetadata("s-2", "bob", "sw-01", "admin", "shell", null, 80, 24,
                    "xterm", Instant.now(), false), e -> { });
            for (int i = 0; i < 20; i++) {
                byte[] out = ("tick " + i + "\r\n").getBytes(StandardCharsets.UTF_8);
                r.output(out, 0, out.length);
                Thread.sleep(15);
            }
            String id = store.list().get(0).id();
            // A kill -9 now: the files as they are on disk, without the close.
            byte[] liveChain = Files.readAllBytes(store.chainFile(id));
            byte[] liveCast = Files.readAllBytes(store.castFile(id));
            Verdict v = verify(liveCast, liveChain);
            assertEquals(Verdict.Status.TRUNCATED, v.status(), v.toString());
            r.close(0, "exit");
            assertEquals(Verdict.Status.VALID, store.verify(id, publicKey).status());
        }
    }

    // --- mutations ---

    private byte[][] mutate(String kind, Random random) throws Exception {
        List<String> lines = lines(chain);
        List<Integer> chunkLines = new ArrayList<>();
        List<Integer> checkpointLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            (lines.get(i).startsWith("{\"type\"") ? checkpointLines : chunkLines).add(i);
        }
        List<JsonNode> chunks = chunks(chain);
        switch (kind) {
            case "cast byte flip": {
                byte[] c = cast.clone();
                c[random.nextInt(c.length)] ^= (byte) (1 + random.nextInt(255));
                return new byte[][] {c, chain};
            }
            case "chain byte flip": {
                byte[] ch = chain.clone();
                ch[random.nextInt(ch.length)] ^= (byte) (1 + random.nextInt(255));
                return new byte[][] {cast, ch};
            }
            case "chunk removed": {
                int k = random.nextInt(chunks.size());
                int variant = random.nextInt(3);
                if (variant == 2 && k == chunks.size() - 1) {
                    variant = 0; // the last chunk's bytes alone are a cut cast, not a removal
                }
                byte[] c = variant == 1 ? cast : removeRange(cast, chunks.get(k));
                List<String> l = new ArrayList<>(lines);
                if (variant != 2) {
                    l.remove((int) chunkLines.get(k));
                }
                return new byte[][] {c, join(l)};
            }
            case "chunks swapped": {
                int a = 1 + random.nextInt(chunks.size() - 2);
                int b = a + 1 + random.nextInt(chunks.size() - a - 1);
                if (random.nextBoolean()) {
                    return new byte[][] {swapRanges(cast, chunks.get(a), chunks.get(b)), chain};
                }
                List<String> l = new ArrayList<>(lines);
                String la = l.get(chunkLines.get(a));
                l.set(chunkLines.get(a), l.get(chunkLines.get(b)));
                l.set(chunkLines.get(b), la);
                return new byte[][] {cast, join(l)};
            }
            case "checkpoint from another recording": {
                List<String> others = lines(otherChain).stream().filter(s -> s.startsWith("{\"type\"")).toList();
                List<String> l = new ArrayList<>(lines);
                l.set(checkpointLines.get(random.nextInt(checkpointLines.size())),
                        others.get(random.nextInt(others.size())));
                return new byte[][] {cast, join(l)};
            }
            case "signature from another key": {
                List<String> l = new ArrayList<>(lines);
                int at = checkpointLines.get(random.nextInt(checkpointLines.size()));
                l.set(at, resign(l.get(at), OTHER_KEY));
                return new byte[][] {cast, join(l)};
            }
            case "chain rewritten after an edit": {
                // The attacker edits a chunk and recomputes every hash after it; with or without re-signing the
                // checkpoints with a key of their own, the signatures give it away.
                int k = random.nextInt(chunks.size());
                byte[] c = cast.clone();
                int pos = (int) (chunks.get(k).get("offset").asLong()
                        + random.nextInt((int) chunks.get(k).get("length").asLong()));
                c[pos] ^= 0x01;
                return new byte[][] {c, rewrite(c, lines, random.nextBoolean() ? OTHER_KEY : null)};
            }
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /** Recomputes every chunk digest and hash from {@code c}; re-signs checkpoints with {@code key} if given. */
    private static byte[] rewrite(byte[] c, List<String> lines, EvidenceSigner key) throws Exception {
        List<String> out = new ArrayList<>();
        String prev = ChainLine.ZEROS;
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            if (n.has("type")) {
                String body = withoutHash(line).replace(n.get("head").asText(), prev);
                out.add(key == null ? reseal(body) : resign(reseal(body), key));
                continue;
            }
            int off = (int) n.get("offset").asLong();
            int len = (int) n.get("length").asLong();
            String sha = ChainLine.hex(ChainLine.sha256().digest(java.util.Arrays.copyOfRange(c, off, off + len)));
            String body = withoutHash(line).replace(n.get("sha256").asText(), sha).replace(n.get("prev").asText(), prev);
            String sealed = reseal(body);
            prev = JSON.readTree(sealed).get("hash").asText();
            out.add(sealed);
        }
        return join(out);
    }

    /** The same checkpoint payload signed with {@code key}, in a line whose hash is recomputed (anyone can). */
    private static String resign(String line, EvidenceSigner key) throws Exception {
        JsonNode n = JSON.readTree(line);
        String jws = n.get("jws").asText();
        byte[] payload = Base64.getUrlDecoder().decode(jws.split("\\.")[1]);
        JsonNode claims = JSON.readTree(payload);
        String newPayload = new String(payload, StandardCharsets.UTF_8)
                .replace(claims.get("head").asText(), n.get("head").asText());
        return reseal(withoutHash(line).replace(jws, key.sign(newPayload.getBytes(StandardCharsets.UTF_8))));
    }

    private static String withoutHash(String line) {
        return line.substring(0, line.length() - ChainLine.HASH_SUFFIX_LEN) + "}";
    }

    private static String reseal(String body) {
        byte[] line = ChainLine.seal(body, new String[1]);
        return new String(line, 0, line.length - 1, StandardCharsets.US_ASCII);
    }

    private static byte[] removeRange(byte[] c, JsonNode chunk) {
        int off = (int) chunk.get("offset").asLong();
        int len = (int) chunk.get("length").asLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(c, 0, off);
        out.write(c, off + len, c.length - off - len);
        return out.toByteArray();
    }

    private static byte[] swapRanges(byte[] c, JsonNode a, JsonNode b) {
        int ao = (int) a.get("offset").asLong();
        int al = (int) a.get("length").asLong();
        int bo = (int) b.get("offset").asLong();
        int bl = (int) b.get("length").asLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(c, 0, ao);
        out.write(c, bo, bl);
        out.write(c, ao + al, bo - ao - al);
        out.write(c, ao, al);
        out.write(c, bo + bl, c.length - bo - bl);
        return out.toByteArray();
    }

    // --- helpers ---

    private Verdict verify(byte[] c, byte[] ch) throws IOException {
        Path castFile = work.resolve("x.cast");
        Path chainFile = work.resolve("x.chain");
        Files.write(castFile, c);
        Files.write(chainFile, ch);
        return RecordingVerifier.verify(castFile, chainFile, publicKey);
    }

    private static List<String> lines(byte[] file) {
        String s = new String(file, StandardCharsets.US_ASCII);
        assertTrue(s.endsWith("\n"));
        return List.of(s.substring(0, s.length() - 1).split("\n", -1));
    }

    private static byte[] join(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static List<JsonNode> records(byte[] file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static List<JsonNode> chunks(byte[] file) throws IOException {
        return records(file).stream().filter(n -> !n.has("type")).toList();
    }

    private static List<JsonNode> checkpoints(byte[] file) throws IOException {
        return records(file).stream().filter(n -> n.has("type")).toList();
    }

    private static byte[] prefix(byte[] b, int n) {
        return java.util.Arrays.copyOf(b, n);
    }
}
