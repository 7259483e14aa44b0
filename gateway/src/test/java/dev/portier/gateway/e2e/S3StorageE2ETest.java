package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.gateway.cli.PortierCli;
import dev.portier.testsupport.Keys;
import dev.portier.testsupport.OpenSshClient;
import dev.portier.testsupport.OpenSshClient.Result;
import dev.portier.testsupport.S3Server;
import dev.portier.vault.Credential;
import dev.portier.vault.Vault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings in S3 end to end: real OpenSSH sessions through the gateway to a real sshd, recorded into the spool
 * and uploaded to a real S3 server (s3proxy on loopback); replayed, exported and verified from there once the
 * local copy is gone; an S3 outage that sessions never notice; retention and legal holds, audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3StorageE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "portier-recordings";

    @TempDir
    static Path tmp;

    PortierHarness h;
    S3Server s3;
    Path carolKey;
    Path config;

    @BeforeAll
    void start() throws Exception {
        s3 = S3Server.start(tmp.resolve("s3"));
        s3.createBucket(BUCKET);
        h = new PortierHarness(tmp);
        carolKey = Keys.ed25519(tmp.resolve("keys"), "carol");
        // The store's keys live in the vault, as an operator would put them with: portier vault put s3/...
        Vault vault = Vault.open(h.data);
        vault.put("s3", "key-id", new Credential.Password(s3.accessKey()));
        vault.put("s3", "secret", new Credential.Password(s3.secretKey()));
        String yaml = h.yaml(h.sshd.hostKeyLine(), "", "").replace("      - { name: bob,",
                "      - { name: carol, teams: [audit], roles: [auditor], sshKeys: [\"" + Keys.publicKeyLine(carolKey)
                        + "\"] }\n      - { name: bob,") + """
                recording:
                  retention: { default: 400d }
                storage:
                  recordings: "s3://%s/portier/e2e"
                  s3:
                    endpoint: "%s"
                    region: us-east-1
                    pathStyle: true
                    accessKeyId: "vault:s3/key-id"
                    secretAccessKey: "vault:s3/secret"
                    retryMax: 1s
                    keepLocal: 0s
                """.formatted(BUCKET, s3.endpoint());
        config = Files.writeString(tmp.resolve("portier.yaml"), yaml);
        h.start(yaml);
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void recordingLandsInS3AndIsReplayedExportedAndVerifiedFromThereOnceTheLocalCopyIsGone() throws Exception {
        List<String> before = ids();
        assertEquals(0, h.alice("srv-1").ssh("echo s3-was-here-$((1000+234))").exit());
        String id = uploaded(newRecording(before));
        assertFalse(Files.exists(h.data.resolve("recordings").resolve(id + ".cast")), "the spool dropped its copy");
        assertTrue(s3.keys(BUCKET).contains("portier/e2e/recordings/" + id + ".cast"), s3.keys(BUCKET).toString());

        Result replay = carol().ssh("replay " + id + " --speed 100");
        assertEquals(0, replay.exit(), replay.stderr());
        assertTrue(replay.stdout().contains("s3-was-here-1234"), replay.stdout());

        Files.delete(h.data.resolve("recordings").resolve(id + ".cast"));
        Files.delete(h.data.resolve("recordings").resolve(id + ".chain"));
        String[] out = new String[1];
        assertEquals(0, cli(out, "export", id));
        assertTrue(out[0].contains("s3-was-here-1234"), out[0]);
        assertEquals(0, cli(out, "verify", id), out[0]);
        assertTrue(out[0].startsWith("VALID"), out[0]);
        assertEquals(0, cli(out, "recordings", "list", "--json"));
        assertTrue(out[0].lines().anyMatch(l -> l.contains(id) && l.contains("\"location\":\"uploaded\"")), out[0]);
    }

    @Test
    void withS3StoppedARealSessionGoesOnAndTheSpoolUploadsOnceS3IsBack() throws Exception {
        List<String> before = ids();
        s3.stop();
        String id;
        try {
            Result r = h.alice("srv-1").ssh("for i in 1 2 3; do echo outage-tick-$((i+500)); sleep 0.2; done");
            assertEquals(0, r.exit(), r.stderr());
            assertTrue(r.stdout().contains("outage-tick-503"), r.stdout());
            id = newRecording(before);
            await("the failed upload is audited", () -> auditCount("recording.upload.failed", id) == 1);
            // The spool keeps the data: the local copy reads (decrypted) while S3 is down.
            java.io.ByteArrayOutputStream spooled = new java.io.ByteArrayOutputStream();
            h.gateway().context().recordings().export(id, spooled);
            assertTrue(spooled.toString(java.nio.charset.StandardCharsets.UTF_8).contains("outage-tick-503"),
                    "the spool keeps the data");
        } finally {
            s3.start();
        }
        await("the spool is uploaded once S3 is back", () -> auditCount("recording.uploaded", id) == 1);
        assertTrue(s3.keys(BUCKET).contains("portier/e2e/recordings/" + id + ".cast"));
        assertEquals(1, auditCount("recording.upload.failed", id), "one audit line per failure, not per retry");
        String[] out = new String[1];
        assertEquals(0, cli(out, "export", id));
        assertTrue(out[0].contains("outage-tick-503"), out[0]);
    }

    @Test
    void retentionDeletesAnExpiredRecordingButNotAHeldOneAndHoldsAreAudited() throws Exception {
        List<String> before = ids();
        assertEquals(0, h.alice("srv-1").ssh("echo expires-$((2000+1))").exit());
        String expired = uploaded(newRecording(before));
        before = ids();
        assertEquals(0, h.alice("srv-1").ssh("echo held-$((3000+1))").exit());
        String held = uploaded(newRecording(before));

        Result refused = h.alice(null).ssh("hold " + held + " --reason mine");
        assertEquals(1, refused.exit());
        assertTrue(auditCount("recording.hold.refused", held) == 1, h.auditLog());
        Result hold = carol().ssh("hold " + held + " --reason \"case 2026-114\"");
        assertEquals(0, hold.exit(), hold.stderr());
        assertTrue(auditHas("recording.hold", "carol", held, "case 2026-114"), h.auditLog());
        assertTrue(s3.keys(BUCKET).contains("portier/e2e/holds/" + held + ".json"));

        await("the expiring recording is searchable", () -> hits("expires-2001") == 1);
        Instant later = Instant.now().plus(Duration.ofDays(401));
        List<String> deleted = h.gateway().sweepRecordings(later);
        assertTrue(deleted.contains(expired) && !deleted.contains(held), deleted.toString());
        assertTrue(auditHas("recording.deleted", "portier", expired, "retention ended"), h.auditLog());
        assertTrue(s3.keys(BUCKET).stream().noneMatch(k -> k.contains(expired)), s3.keys(BUCKET).toString());
        assertTrue(s3.keys(BUCKET).contains("portier/e2e/recordings/" + held + ".cast"));
        assertEquals(1, carol().ssh("replay " + expired).exit(), "deleted everywhere");
        await("nothing deleted stays searchable", () -> hits("expires-2001") == 0);

        Result release = carol().ssh("release " + held + " --reason \"case closed\"");
        assertEquals(0, release.exit(), release.stderr());
        assertTrue(auditHas("recording.release", "carol", held, "case closed"), h.auditLog());
        assertTrue(h.gateway().sweepRecordings(later).contains(held));
    }

    private OpenSshClient carol() {
        return h.client("carol", carolKey);
    }

    /** {@code id}, once its upload is audited. */
    private String uploaded(String id) throws Exception {
        await("recording " + id + " is uploaded", () -> auditCount("recording.uploaded", id) == 1);
        return id;
    }

    /** The ids listed now (tests run one after the other, so a new one is the session just run). */
    private List<String> ids() {
        String[] out = new String[1];
        assertEquals(0, cli(out, "recordings", "list", "--json"));
        return out[0].lines().map(l -> read(l).path("id").asText()).toList();
    }

    /** The one recording not in {@code before}, once it is closed. */
    private String newRecording(List<String> before) throws Exception {
        String[] found = new String[1];
        await("a new closed recording", () -> {
            String[] out = new String[1];
            cli(out, "recordings", "list", "--json");
            for (String line : out[0].lines().toList()) {
                JsonNode n = read(line);
                if (!before.contains(n.path("id").asText()) && !"recording".equals(n.path("status").asText())) {
                    found[0] = n.path("id").asText();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private long auditCount(String type, String recording) {
        return h.auditLog().lines().map(S3StorageE2ETest::read)
                .filter(n -> type.equals(n.path("type").asText()) && recording.equals(n.path("recording").asText()))
                .count();
    }

    private boolean auditHas(String type, String actor, String recording, String reason) {
        return h.auditLog().lines().map(S3StorageE2ETest::read).anyMatch(n -> type.equals(n.path("type").asText())
                && actor.equals(n.path("actor").asText()) && recording.equals(n.path("recording").asText())
                && reason.equals(n.path("reason").asText()));
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int cli(String[] out, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return PortierCli.run(all.toArray(String[]::new));
        } finally {
            System.setOut(old);
            out[0] = buf.toString(StandardCharsets.UTF_8);
        }
    }

    /** Polls every 100 ms for up to 60 s: no fixed sleep decides the outcome. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    private int hits(String text) {
        try {
            return h.gateway().context().recordingIndex().search(new dev.portier.recorder.index.SearchQuery(text, null,
                    null, null, java.util.Map.of(), null, 50)).hits().size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
