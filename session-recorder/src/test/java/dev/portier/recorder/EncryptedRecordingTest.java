package dev.portier.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.portier.recorder.crypt.RecordingCryptoException;
import dev.portier.recorder.crypt.RecordingKeys;
import dev.portier.recorder.crypt.RecordingReader;
import dev.portier.recorder.crypt.TestKeys;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.recorder.seal.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encryption at rest: what is stored, what reads it back, and what an attacker or a crash can do to it. */
class EncryptedRecordingTest {
    private static final String OUTPUT_MARKER = "OUTPUT-MARKER-7f3a";
    private static final String INPUT_MARKER = "INPUT-MARKER-91c2";
    private static final String PATH_MARKER = "PATH-MARKER-55e0";
    private static final String COMMAND_MARKER = "COMMAND-MARKER-d41d";
    private static final EvidenceSigner EVIDENCE = EvidenceSigner.generate();
    private static final RecorderSettings FAST = new RecorderSettings(Duration.ofMillis(20), Duration.ofMillis(5),
            256 << 10, 1 << 20, 8 << 20).withCheckpointInterval(Duration.ofMillis(100));

    @TempDir
    Path data;
    private final TestKeys keys = new TestKeys();
    private final List<RecordingStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(RecordingStore::close);
    }

    private RecordingStore store(Path dir, RecordingKeys k, boolean encrypt) {
        RecordingStore s = new RecordingStore(dir, EVIDENCE, FAST, k, encrypt);
        stores.add(s);
        return s;
    }

    private RecordingStore encrypted() {
        return store(data.resolve("recordings"), keys, true);
    }

    private static RecordingMetadata execMeta() {
        return new RecordingMetadata("s-9", "alice", "srv-1", "root", "exec", "echo " + COMMAND_MARKER, 0, 0, null,
                Instant.parse("2026-11-27T17:35:01Z"), true);
    }

    /** A session with every kind of content, each carrying a marker; returns its id. */
    private static String recordSession(RecordingStore store, int lines) throws Exception {
        Set<String> before = ids(store);
        SessionRecorder r = store.open(execMeta(), e -> { });
        Set<String> after = new HashSet<>(ids(store));
        after.removeAll(before);
        String id = after.iterator().next();
        RecordingStoreTest.write(r, "$ ", false);
        RecordingStoreTest.write(r, INPUT_MARKER + "\r", true);
        r.resize(100, 30);
        for (int i = 0; i < lines; i++) {
            RecordingStoreTest.write(r, OUTPUT_MARKER + " line " + i + "\r\n", false);
            if (i % 10 == 0) {
                Thread.sleep(25); // several chunks and checkpoints
            }
        }
        r.event("sftp.open", Map.of("path", "/tmp/" + PATH_MARKER));
        r.close(0, "exit");
        return id;
    }

    private static Set<String> ids(RecordingStore store) throws IOException {
        return store.list().stream().map(RecordingInfo::id).collect(Collectors.toSet());
    }

    private static String export(RecordingStore store, String id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.export(id, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private ECKey evidenceKey() throws Exception {
        return EvidenceSigner.parsePublicJwk(EVIDENCE.publicJwk());
    }

    @Test
    void noSessionContentAndNoDataKeyInAnyStoredFile() throws Exception {
        RecordingStore store = encrypted();
        String id = recordSession(store, 50);
        assertTrue(export(store, id).contains(OUTPUT_MARKER), "the markers were recorded");
        List<String> forbidden = new ArrayList<>(List.of(OUTPUT_MARKER, INPUT_MARKER, PATH_MARKER, COMMAND_MARKER));
        for (byte[] key : keys.dataKeys()) {
            forbidden.add(new String(key, StandardCharsets.ISO_8859_1));
            forbidden.add(Base64.getEncoder().withoutPadding().encodeToString(key).substring(0, 16));
            forbidden.add(Base64.getUrlEncoder().withoutPadding().encodeToString(key).substring(0, 16));
            forbidden.add(HexFormat.of().formatHex(key).substring(0, 16));
        }
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String stored = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String s : forbidden) {
                    assertFalse(stored.contains(s), f.getFileName() + " holds a marker or the data key");
                }
            }
        }
        assertTrue(Files.exists(data.resolve("recordings").resolve(id + ".events.jsonl")), "the events file exists");
        assertTrue(RecordingReader.isEncrypted(store.castFile(id)));
    }

    @Test
    void exportOfAnEncryptedRecordingEqualsThatOfAPlainOne() throws Exception {
        RecordingStore enc = encrypted();
        RecordingStore plain = store(data.resolve("plain"), keys, false);
        Cast a = Cast.parse(export(enc, recordSession(enc, 120)));
        Cast b = Cast.parse(export(plain, recordSession(plain, 120)));
        assertEquals(b.header(), a.header());
        for (String code : List.of("o", "i", "r")) {
            assertEquals(b.text(code), a.text(code), code); // events merge by timing: compare the streams
        }
        assertFalse(a.header().has("portier"), "the export is plain asciicast v2");
    }

    @Test
    void eventsFileDecryptsToItsJsonLines() throws Exception {
        RecordingStore store = encrypted();
        String id = recordSession(store, 5);
        String events = new String(store.openEvents(id).readAllBytes(), StandardCharsets.UTF_8);
        JsonNode e = Cast.JSON.readTree(events.lines().findFirst().orElseThrow());
        assertEquals("sftp.open", e.get("kind").asText());
        assertEquals("/tmp/" + PATH_MARKER, e.get("fields").get("path").asText());
    }

    @Test
    void anEncryptedRecordingVerifiesWithoutItsKey() throws Exception {
        String id = recordSession(encrypted(), 80);
        RecordingStore keyless = store(data.resolve("recordings"), RecordingKeys.unavailable("no key here"), false);
        assertEquals(Verdict.Status.VALID, keyless.verify(id, evidenceKey()).status());
        RecordingCryptoException e = assertThrows(RecordingCryptoException.class, () -> export(keyless, id));
        assertEquals("recording " + id + " is encrypted and no key here", e.getMessage());
    }

    @Test
    void anotherMasterKeyFailsClosedBeforeAnyOutput() throws Exception {
        String id = recordSession(encrypted(), 10);
        RecordingStore other = store(data.resolve("recordings"), new TestKeys(), true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordingCryptoException e = assertThrows(RecordingCryptoException.class, () -> other.export(id, out));
        assertEquals("test keys: cannot unwrap the key of recording " + id, e.getMessage());
        assertEquals(0, out.size(), "nothing was written");
    }

    @Test
    void swappedChunksFailToDecryptAndToVerify() throws Exception {
        RecordingStore store = encrypted();
        String id = recordSession(store, 200);
        List<JsonNode> chunks = chunks(store.chainFile(id));
        assertTrue(chunks.size() >= 5, "chunks: " + chunks.size());
        byte[] cast = Files.readAllBytes(store.castFile(id));
        Files.write(store.castFile(id), swap(cast, chunks.get(2), chunks.get(3)));
        RecordingCryptoException e = assertThrows(RecordingCryptoException.class, () -> export(store, id));
        assertTrue(e.getMessage().startsWith("chunk 2 of the cast file of recording " + id + " does not decrypt"),
                e.getMessage());
        assertEquals(Verdict.Status.TAMPERED, store.verify(id, evidenceKey()).status());
    }

    @Test
    void removedChunkFailsToDecrypt() throws Exception {
        RecordingStore store = encrypted();
        String id = recordSession(store, 200);
        JsonNode victim = chunks(store.chainFile(id)).get(2);
        byte[] cast = Files.readAllBytes(store.castFile(id));
        int off = victim.get("offset").asInt();
        int len = victim.get("length").asInt();
        byte[] cut = new byte[cast.length - len];
        System.arraycopy(cast, 0, cut, 0, off);
        System.arraycopy(cast, off + len, cut, off, cast.length - off - len);
        Files.write(store.castFile(id), cut);
        assertThrows(RecordingCryptoException.class, () -> export(store, id));
    }

    @Test
    void closedRecordingCutInsideAChunkIsAnErrorNotAShorterRecording() throws Exception {
        RecordingStore store = encrypted();
        String id = recordSession(store, 100);
        byte[] cast = Files.readAllBytes(store.castFile(id));
        Files.write(store.castFile(id), Arrays.copyOf(cast, cast.length - 7));
        RecordingCryptoException e = assertThrows(RecordingCryptoException.class, () -> export(store, id));
        assertTrue(e.getMessage().contains("although the recording was closed: it was cut or altered"),
                e.getMessage());
    }

    @Test
    void chunkFromAnotherRecordingFailsToDecryptEvenUnderTheSameKey() throws Exception {
        RecordingStore store = encrypted();
        String a = recordSession(store, 100);
        String b = recordSession(store, 100);
        // b's file renamed to a's id: the header names b, so it is refused as a replacement.
        Files.copy(store.castFile(b), store.castFile(a), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        RecordingCryptoException e = assertThrows(RecordingCryptoException.class, () -> export(store, a));
        assertEquals("the file of recording " + a + " holds recording " + b + ": it was renamed or replaced",
                e.getMessage());
    }

    @Test
    void crashCutsDecryptUpToTheLastCompleteChunk() throws Exception {
        RecordingStore store = encrypted();
        SessionRecorder r = store.open(execMeta(), e -> { });
        for (int i = 0; i < 300; i++) {
            RecordingStoreTest.write(r, "tick " + i + "\r\n", false);
            if (i % 20 == 0) {
                Thread.sleep(30);
            }
        }
        Thread.sleep(100); // written, not closed: what a kill -9 leaves
        String id = store.list().get(0).id();
        byte[] cast = Files.readAllBytes(store.castFile(id));
        byte[] chain = Files.readAllBytes(store.chainFile(id));
        List<JsonNode> chunks = chunks(store.chainFile(id));
        assertTrue(chunks.size() >= 4, "chunks: " + chunks.size());
        Path dir = Files.createDirectories(data.resolve("crashed"));
        RecordingStore crashed = store(dir, keys, true);
        Files.write(dir.resolve(id + ".chain"), chain);
        Files.writeString(dir.resolve(id + ".meta.json"), Files.readString(data.resolve("recordings")
                .resolve(id + ".meta.json")));
        // What each complete chunk adds: the export of the cast cut right after it.
        List<Integer> ends = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (JsonNode c : chunks.subList(1, chunks.size())) {
            int end = c.get("offset").asInt() + c.get("length").asInt();
            Files.write(dir.resolve(id + ".cast"), Arrays.copyOf(cast, end));
            ends.add(end);
            texts.add(Cast.parse(export(crashed, id)).text("o"));
        }
        assertTrue(texts.get(texts.size() - 1).endsWith("tick 299\r\n"), "everything written is there");
        Random random = new Random(4);
        for (int i = 0; i < 40; i++) {
            int cut = ends.get(0) + random.nextInt(cast.length - ends.get(0) + 1);
            Files.write(dir.resolve(id + ".cast"), Arrays.copyOf(cast, cut));
            int complete = 0;
            while (complete + 1 < ends.size() && ends.get(complete + 1) <= cut) {
                complete++;
            }
            assertEquals(texts.get(complete), Cast.parse(export(crashed, id)).text("o"), "cut at " + cut);
            Verdict v = crashed.verify(id, evidenceKey());
            assertEquals(Verdict.Status.TRUNCATED, v.status(), "cut at " + cut + ": " + v);
        }
        r.close(0, "exit");
    }

    @Test
    void plainRecordingsStayReadableAndVerifiableBesideEncryptedOnes() throws Exception {
        Path dir = data.resolve("recordings");
        String old = recordSession(store(dir, RecordingKeys.unavailable("none"), false), 30);
        RecordingStore store = encrypted();
        String fresh = recordSession(store, 30);
        assertFalse(RecordingReader.isEncrypted(store.castFile(old)));
        assertTrue(RecordingReader.isEncrypted(store.castFile(fresh)));
        assertEquals(Set.of(old, fresh), ids(store));
        for (String id : List.of(old, fresh)) {
            assertTrue(Cast.parse(export(store, id)).text("o").contains(OUTPUT_MARKER + " line 29"), id);
            assertEquals(Verdict.Status.VALID, store.verify(id, evidenceKey()).status(), id);
            assertTrue(new String(store.openEvents(id).readAllBytes(), StandardCharsets.UTF_8).contains(PATH_MARKER));
        }
    }

    @Test
    void openPlainStreamsWhatExportWrites() throws Exception {
        RecordingStore store = encrypted();
        String id = recordSession(store, 40);
        try (var in = store.openPlain(id)) {
            assertEquals(export(store, id), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aKeyThatCannotBeWrappedRefusesTheRecordingAndLeavesNoFile() throws Exception {
        Path dir = data.resolve("recordings");
        RecordingStore store = store(dir, RecordingKeys.unavailable("the vault is unreachable"), true);
        RecorderException e = assertThrows(RecorderException.class, () -> store.open(execMeta(), x -> { }));
        assertTrue(e.getMessage().startsWith("cannot start a recording in " + dir + ": cannot encrypt recording ")
                && e.getMessage().endsWith(": the vault is unreachable"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "nothing is written in the clear instead");
        }
    }

    @Test
    void recorderBuffersCannotGrowChunksPastWhatReadersAccept() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RecorderSettings(
                Duration.ofMillis(250), Duration.ofMillis(10), 256 << 10, 1 << 20, 64 << 20));
        assertTrue(e.getMessage().startsWith("maxBufferedBytes must be at most 33554432"), e.getMessage());
    }

    private static List<JsonNode> chunks(Path chain) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(chain)) {
            JsonNode n = Cast.JSON.readTree(line);
            if (!n.has("type")) {
                out.add(n);
            }
        }
        return out;
    }

    private static byte[] swap(byte[] c, JsonNode a, JsonNode b) {
        int ao = a.get("offset").asInt();
        int al = a.get("length").asInt();
        int bo = b.get("offset").asInt();
        int bl = b.get("length").asInt();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(c, 0, ao);
        out.write(c, bo, bl);
        out.write(c, ao + al, bo - ao - al);
        out.write(c, ao, al);
        out.write(c, bo + bl, c.length - bo - bl);
        return out.toByteArray();
    }
}
