package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.testsupport.Keys;
import dev.portier.testsupport.OpenSshClient;
import dev.portier.testsupport.OpenSshClient.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Supplier sessions (realm {@code partners}) are sampled into the auditors' review queue, employees' are
 * not; an auditor records a finding over SSH with the real OpenSSH client, and it is audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpotCheckE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    PortierHarness h;
    Path carolKey;
    Path daveKey;

    @BeforeAll
    void start() throws Exception {
        h = new PortierHarness(tmp);
        carolKey = Keys.ed25519(tmp.resolve("keys"), "carol");
        daveKey = Keys.ed25519(tmp.resolve("keys"), "dave");
        String yaml = h.yaml(h.sshd.hostKeyLine(), "", """
                  - name: acme-contract
                    subjects: { teams: [acme] }
                    targets: { names: [srv-1] }
                    channels: [shell, exec]
                """).replace("labels: { kind: server }", "labels: { kind: server, contract: acme }")
                .replace("      - { name: bob,",
                "      - { name: carol, teams: [audit], roles: [auditor], sshKeys: [\"" + Keys.publicKeyLine(carolKey)
                        + "\"] }\n      - { name: dave, realm: partners, teams: [acme], roles: [operator], sshKeys: [\""
                        + Keys.publicKeyLine(daveKey) + "\"] }\n      - { name: bob,")
                + "recording:\n  spotCheck: { percent: 100, realms: [partners] }\n";
        h.start(yaml);
        assertEquals(0, h.alice("srv-1").ssh("echo employee").exit());
        Result dave = h.client("dave:srv-1", daveKey).ssh("echo supplier");
        assertEquals(0, dave.exit(), dave.stderr());
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void supplierSessionIsQueuedAndAFindingIsRecordedAndAudited() throws Exception {
        List<JsonNode> pending = reviews("reviews --json");
        assertEquals(1, pending.size(), pending.toString());
        assertEquals("dave", pending.get(0).get("user").asText());
        String rec = pending.get(0).get("recording").asText();

        Result r = carol().ssh("review " + rec + " --finding 'looked at /etc/shadow'");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(List.of(), reviews("reviews --json"));
        JsonNode done = reviews("reviews --all --json").get(0);
        assertEquals("finding", done.get("outcome").asText());
        assertEquals("carol", done.get("reviewer").asText());
        assertTrue(h.auditLog().contains("\"type\":\"review.spotcheck\""), h.auditLog());
        assertTrue(h.auditLog().contains("looked at /etc/shadow"));

        Result again = carol().ssh("review " + rec + " --ok");
        assertEquals(1, again.exit());
        assertTrue(again.stderr().contains("already reviewed by carol"), again.stderr());
    }

    @Test
    void nonAuditorCannotSeeOrDecideReviews() {
        assertEquals(1, h.alice(null).ssh("reviews").exit());
        Result r = h.alice(null).ssh("review 20261127T100000Z-0000000a --ok");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("only auditors"), r.stderr());
    }

    @Test
    void breakGlassGrantIdsStillGoToTheGrantReview() {
        Result r = carol().ssh("review g-unknown --ok");
        assertTrue(r.stderr().startsWith("portier:"), r.stderr());
        assertTrue(!r.stderr().contains("review queue"), r.stderr());
    }

    private OpenSshClient carol() {
        return h.client("carol", carolKey);
    }

    private List<JsonNode> reviews(String command) throws Exception {
        Result r = carol().ssh(command);
        assertEquals(0, r.exit(), r.stderr());
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            out.add(JSON.readTree(line));
        }
        return out;
    }
}
