package dev.portier.recorder.storage;

import dev.portier.recorder.RecorderException;
import dev.portier.recorder.RecorderSettings;
import dev.portier.recorder.RecordingMetadata;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.SessionRecorder;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.testsupport.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** A real S3 server (s3proxy) on loopback, and recording stores spooling to it. */
final class S3Fixture implements AutoCloseable {
    static final String BUCKET = "recordings";
    static final String PREFIX = "portier/test";

    final S3Server s3;
    final EvidenceSigner signer = EvidenceSigner.generate();
    final List<String> uploaded = new CopyOnWriteArrayList<>();
    final List<String> failed = new CopyOnWriteArrayList<>();

    S3Fixture(Path dir) {
        s3 = S3Server.start(dir);
        s3.createBucket(BUCKET);
    }

    S3Settings settings() {
        return new S3Settings(BUCKET, PREFIX, s3.endpoint(), "us-east-1", true, s3.accessKey(), s3.secretKey(),
                Duration.ofSeconds(30));
    }

    /** A store spooling {@code recordings} to the bucket, uploading with retries at most 1 s apart. */
    RecordingStore store(Path recordings, Duration keepLocal) throws Exception {
        SpooledStorage storage = new SpooledStorage(recordings, S3ObjectStore.open(settings()), keepLocal);
        RecordingStore store = new RecordingStore(recordings, signer, RecorderSettings.DEFAULTS, storage);
        storage.startUploads(store, new UploadListener() {
            @Override
            public void uploaded(dev.portier.recorder.RecordingInfo r, UploadReceipt receipt, int attempts) {
                uploaded.add(r.id());
            }

            @Override
            public void uploadFailed(dev.portier.recorder.RecordingInfo r, String location, String error,
                    Instant nextAttempt) {
                failed.add(r.id());
            }
        }, Duration.ofSeconds(1));
        return store;
    }

    /** Records one short session and closes it; returns its id. */
    static String record(RecordingStore store, String output) throws RecorderException, java.io.IOException {
        SessionRecorder r = store.open(new RecordingMetadata("s-" + output.hashCode(), "alice", "rtr-bru-01", "admin",
                "shell", null, 80, 24, "xterm", Instant.now(), false), e -> { });
        byte[] out = output.getBytes(StandardCharsets.UTF_8);
        r.output(out, 0, out.length);
        r.close(0, "exit");
        return store.list().stream().filter(i -> i.sessionId().equals("s-" + output.hashCode())).findFirst()
                .orElseThrow().id();
    }

    List<String> keys() {
        return s3.keys(BUCKET);
    }

    static String key(String name) {
        return PREFIX + "/" + name;
    }

    /** Polls {@code condition} every 50 ms for up to {@code seconds}; no fixed sleep decides a test. */
    static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + seconds + " s waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
