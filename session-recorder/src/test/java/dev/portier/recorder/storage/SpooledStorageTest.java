package dev.portier.recorder.storage;

import static dev.portier.recorder.storage.S3Fixture.await;
import static dev.portier.recorder.storage.S3Fixture.key;
import static dev.portier.recorder.storage.S3Fixture.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.recorder.RecordingMetadata;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.SessionRecorder;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.recorder.seal.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool against a real S3 server (s3proxy on loopback): upload, reads from the store, outages, restarts. */
class SpooledStorageTest {
    @TempDir
    Path tmp;
    private S3Fixture f;
    private RecordingStore store;

    private Path recordings() {
        return tmp.resolve("recordings");
    }

    private RecordingStore start(Duration keepLocal) throws Exception {
        if (f == null) {
            f = new S3Fixture(tmp.resolve("s3"));
        }
        store = f.store(recordings(), keepLocal);
        return store;
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        if (f != null) {
            f.close();
        }
    }

    private boolean localContentGone(String id) {
        return !Files.exists(recordings().resolve(id + ".cast")) && !Files.exists(recordings().resolve(id + ".chain"));
    }

    private String export(String id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.export(id, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void closedRecordingLandsInTheStoreAndIsReadFromThereOnceTheLocalCopyIsGone() throws Exception {
        start(Duration.ZERO);
        String id = record(store, "show running-config\r\nhostname rtr-bru-01\r\n");
        await("the recording is uploaded and its local copy dropped", 20,
                () -> f.uploaded.contains(id) && localContentGone(id));
        assertTrue(f.keys().containsAll(List.of(key("recordings/" + id + ".cast"), key("recordings/" + id + ".chain"),
                key("recordings/" + id + ".meta.json"))), f.keys().toString());
        assertEquals(RecordingStorage.Location.UPLOADED, store.storage().locate(id));
        assertEquals(List.of(id), store.list().stream().map(r -> r.id()).toList(), "listing needs no download");

        assertTrue(export(id).contains("hostname rtr-bru-01"));
        assertEquals(Verdict.Status.VALID, store.verify(id, EvidenceSigner.parsePublicJwk(f.signer.publicJwk())).status());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(recordings().resolve(id + ".cast"))), "restored copies are private");
        assertTrue(f.failed.isEmpty(), f.failed.toString());
    }

    @Test
    void everyFileNamedAfterTheRecordingIsUploadedAndRestoredWhateverItsFormat() throws Exception {
        start(Duration.ZERO);
        SessionRecorder r = store.open(new RecordingMetadata("s-side", "alice", "rtr-bru-01", "admin", "shell", null,
                80, 24, "xterm", Instant.now(), false), e -> { });
        String id = store.list().get(0).id();
        Files.writeString(recordings().resolve(id + ".dek"), "wrapped-data-key");
        r.close(0, "exit");
        await("the recording is uploaded and its local copy dropped", 20,
                () -> f.uploaded.contains(id) && !Files.exists(recordings().resolve(id + ".dek")));
        assertTrue(f.keys().contains(key("recordings/" + id + ".dek")), f.keys().toString());
        store.castFile(id);
        assertEquals("wrapped-data-key", Files.readString(recordings().resolve(id + ".dek")));
    }

    @Test
    void aSymbolicLinkPlantedInTheSpoolIsNeverUploaded() throws Exception {
        start(Duration.ZERO);
        SessionRecorder r = store.open(new RecordingMetadata("s-link", "alice", "rtr-bru-01", "admin", "shell", null,
                80, 24, "xterm", Instant.now(), false), e -> { });
        String id = store.list().get(0).id();
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "not evidence");
        Files.createSymbolicLink(recordings().resolve(id + ".evil"), secret);
        r.close(0, "exit");
        await("the recording is uploaded", 20, () -> f.uploaded.contains(id));
        assertFalse(f.keys().contains(key("recordings/" + id + ".evil")), f.keys().toString());
    }

    @Test
    void withTheStoreDownSessionsAreUnaffectedAndTheSpoolUploadsWhenItReturns() throws Exception {
        start(Duration.ZERO);
        f.s3.stop();
        long t0 = System.nanoTime();
        String id = record(store, "written while the store is down\r\n");
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "recording and closing never wait on the store");
        await("the first failure is reported", 20, () -> f.failed.contains(id));
        assertFalse(localContentGone(id), "the spool keeps the data");
        assertEquals(RecordingStorage.Location.SPOOLED, store.storage().locate(id));

        f.s3.start();
        await("the spool is uploaded after the store returned", 30, () -> f.uploaded.contains(id) && localContentGone(id));
        assertEquals(1, f.failed.size(), "one report per recording, not one per retry: " + f.failed);
        assertTrue(export(id).contains("written while the store is down"));
    }

    @Test
    void whatARestartLeftInTheSpoolIsUploadedByTheNextStart() throws Exception {
        start(Duration.ZERO);
        f.s3.stop();
        String id = record(store, "spooled before a restart\r\n");
        await("the first failure is reported", 20, () -> f.failed.contains(id));
        store.close();
        f.s3.start();
        f.uploaded.clear();
        start(Duration.ZERO);
        await("the spool is uploaded after the restart", 20, () -> f.uploaded.contains(id) && localContentGone(id));
        assertTrue(export(id).contains("spooled before a restart"));
    }

    @Test
    void aCopyAlteredInTheStoreIsRefusedNotServed() throws Exception {
        start(Duration.ZERO);
        String id = record(store, "original output\r\n");
        await("uploaded and dropped locally", 20, () -> f.uploaded.contains(id) && localContentGone(id));
        byte[] cast = f.s3.read(S3Fixture.BUCKET, key("recordings/" + id + ".cast"));
        f.s3.write(S3Fixture.BUCKET, key("recordings/" + id + ".cast"),
                new String(cast, StandardCharsets.UTF_8).replace("original", "doctored").getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> export(id));
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertFalse(Files.exists(recordings().resolve(id + ".cast")), "nothing altered lands in the spool");
    }

    @Test
    void aReceiptNamingAFileOutsideTheSpoolIsRefused() throws Exception {
        start(Duration.ZERO);
        String id = record(store, "receipt attack\r\n");
        await("uploaded and dropped locally", 20, () -> f.uploaded.contains(id) && localContentGone(id));
        Path receipt = recordings().resolve("uploads").resolve(id + ".json");
        Files.writeString(receipt, Files.readString(receipt).replace(id + ".cast", "../../" + id + ".cast"));
        IOException e = assertThrows(IOException.class, () -> export(id));
        assertTrue(e.getMessage().contains("not one of recording"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve(id + ".cast")), "nothing written outside the spool");
    }

    @Test
    void aReadWhileTheStoreIsDownSaysSoAndChangesNothing() throws Exception {
        start(Duration.ZERO);
        String id = record(store, "out of reach\r\n");
        await("uploaded and dropped locally", 20, () -> f.uploaded.contains(id) && localContentGone(id));
        f.s3.stop();
        IOException e = assertThrows(IOException.class, () -> export(id));
        assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
        assertTrue(localContentGone(id));
    }

    @Test
    void aLocalCopyIsKeptForKeepLocalAfterUpload() throws Exception {
        start(Duration.ofHours(1));
        String id = record(store, "kept a while\r\n");
        await("uploaded", 20, () -> f.uploaded.contains(id));
        assertFalse(localContentGone(id));
        ((SpooledStorage) store.storage()).evictIfDue(id, Instant.now().plus(Duration.ofHours(2)));
        assertTrue(localContentGone(id));
        assertTrue(Files.exists(recordings().resolve(id + ".meta.json")), "the metadata always stays");
    }

    @Test
    void wrongCredentialsAreRefusedWithAHintAndWithoutTheSecret() throws Exception {
        f = new S3Fixture(tmp.resolve("s3"));
        S3Settings good = f.settings();
        S3Settings bad = new S3Settings(good.bucket(), good.prefix(), good.endpoint(), good.region(), true,
                good.accessKeyId(), "not-the-secret-0123456789", good.requestTimeout());
        try (S3ObjectStore s3 = S3ObjectStore.open(bad)) {
            ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> s3.list("recordings/"));
            assertTrue(e.getMessage().contains("HTTP 403") && e.getMessage().contains("credentials"), e.getMessage());
            assertFalse(e.getMessage().contains("not-the-secret"), e.getMessage());
            assertFalse(bad.toString().contains("not-the-secret"), bad.toString());
        }
    }
}
