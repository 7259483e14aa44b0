package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.testsupport.Keys;
import dev.portier.testsupport.OpenSshClient.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auditors find and replay recordings over SSH with the real OpenSSH client; owners replay their own; nobody
 * else replays someone else's session, and every attempt is audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    PortierHarness h;
    Path carolKey;
    String aliceRecording;
    String bobRecording;

    @BeforeAll
    void start() throws Exception {
        h = new PortierHarness(tmp);
        carolKey = Keys.ed25519(tmp.resolve("keys"), "carol");
        String yaml = h.yaml(h.sshd.hostKeyLine(), "", """
                  - name: security-servers
                    subjects: { teams: [security] }
                    targets: { names: [srv-1] }
                    channels: [shell, exec]
                """).replace("      - { name: bob,", "      - { name: carol, teams: [audit], roles: [auditor], sshKeys: [\""
                + Keys.publicKeyLine(carolKey) + "\"] }\n      - { name: bob,");
        h.start(yaml);
        assertEquals(0, h.alice("srv-1").ssh("echo alice-was-here-$((7000+731))").exit());
        assertEquals(0, h.client("bob:srv-1", h.bobKey).ssh("echo bob-was-here-$((4000+242))").exit());
        aliceRecording = closedRecordingOf("alice");
        bobRecording = closedRecordingOf("bob");
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void auditorReplaysSomeoneElsesRecordingAndIsAudited() {
        Result r = carol().ssh("replay " + aliceRecording + " --speed 100");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().contains("alice-was-here-7731"), r.stdout());
        assertTrue(auditHas("recording.replayed", "carol", aliceRecording), h.auditLog());
    }

    @Test
    void ownerReplaysTheirOwnRecording() {
        Result r = h.alice(null).ssh("replay " + aliceRecording + " --speed 100");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().contains("alice-was-here-7731"), r.stdout());
    }

    @Test
    void operatorCannotReplaySomeoneElsesRecording() {
        Result r = h.alice(null).ssh("replay " + bobRecording);
        assertEquals(1, r.exit());
        assertTrue(r.stderr().startsWith("portier: replay: only auditors"), r.stderr());
        assertFalse(r.stdout().contains("bob-was-here"), r.stdout());
        assertTrue(auditHas("recording.replay.refused", "alice", bobRecording), h.auditLog());
    }

    @Test
    void auditorListsEveryonesRecordingsAndFiltersByUser() throws Exception {
        assertEquals(List.of("alice", "bob"), users(carol().ssh("recordings --json")));
        assertEquals(List.of("bob"), users(carol().ssh("recordings --user bob --target srv-1 --json")));
    }

    @Test
    void operatorListsOnlyTheirOwnRecordings() throws Exception {
        assertEquals(List.of("alice"), users(h.alice(null).ssh("recordings --json")));
        assertEquals(List.of(), users(h.alice(null).ssh("recordings --user bob --json")));
    }

    @Test
    void replayOfAnUnknownRecordingFails() {
        Result r = carol().ssh("replay 20200101T000000Z-00000000");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().startsWith("portier: replay: no recording"), r.stderr());
    }

    private dev.portier.testsupport.OpenSshClient carol() {
        return h.client("carol", carolKey);
    }

    private List<String> users(Result r) throws Exception {
        assertEquals(0, r.exit(), r.stderr());
        List<String> users = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            users.add(JSON.readTree(line).get("user").asText());
        }
        return users.stream().sorted().toList();
    }

    private boolean auditHas(String type, String actor, String recording) {
        for (String line : h.auditLog().lines().toList()) {
            try {
                JsonNode n = JSON.readTree(line);
                if (type.equals(n.path("type").asText()) && actor.equals(n.path("actor").asText())
                        && line.contains(recording)) {
                    return true;
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return false;
    }

    /** The id of {@code user}'s recording once it is closed (recordings close on the worker pool). */
    private String closedRecordingOf(String user) throws Exception {
        for (int i = 0; i < 100; i++) {
            for (String line : carol().ssh("recordings --user " + user + " --json").stdout().lines().toList()) {
                JsonNode n = JSON.readTree(line);
                if ("closed".equals(n.get("status").asText())) {
                    return n.get("id").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no closed recording of " + user);
    }
}
