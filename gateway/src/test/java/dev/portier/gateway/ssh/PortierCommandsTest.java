package dev.portier.gateway.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.identity.Identity;
import dev.portier.access.policy.PolicyEngine;
import dev.portier.config.ConfigLoader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortierCommandsTest {
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMBh7Rz1zkLxgrnmGBJf1sX4y4dJ1d3OVGb0jnmx3yMd";
    private final PortierCommands commands;
    private final Identity alice = new Identity("alice", "employees", Set.of("netops"), Set.of("operator"));
    private final Identity bob = new Identity("bob", "employees", Set.of("security"), Set.of("approver"));

    PortierCommandsTest() throws Exception {
        String yaml = """
                targets:
                  - { name: rtr-1, address: "10.0.0.1:22", hostKey: "%s", labels: { kind: router }, accounts: [admin] }
                  - { name: srv-1, address: "10.0.0.2:22", hostKey: "%s", labels: { kind: server }, accounts: [root] }
                policies:
                  - { name: routers, subjects: { teams: [netops] }, targets: { labels: { kind: router } } }
                  - name: servers
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: server } }
                    approval: { required: true, approvers: [{ teams: [security] }] }
                """.formatted(KEY, KEY);
        commands = new PortierCommands(new PolicyEngine(ConfigLoader.parse(yaml, "t.yaml")), "portier", null);
    }

    @Test
    void targetsListsWhatTheUserMayReachAndHow() {
        PortierCommands.Result r = commands.run(alice, "targets");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("rtr-1") && r.out().contains("standing access"), r.out());
        assertTrue(r.out().contains("srv-1") && r.out().contains("requires approval"), r.out());
    }

    @Test
    void targetsJsonIsOneObjectPerLine() {
        List<String> lines = commands.run(alice, "targets --json").out().lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("{\"name\":\"rtr-1\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"access\":\"approval\""), lines.get(1));
    }

    @Test
    void userWithoutPoliciesIsToldSo() {
        assertTrue(commands.run(bob, "targets").out().contains("No target is open to you"));
    }

    @Test
    void whoamiNamesIdentity() {
        String out = commands.run(alice, "whoami").out();
        assertTrue(out.contains("alice") && out.contains("netops") && out.contains("operator"), out);
    }

    @Test
    void unknownCommandFailsWithExitTwoAndAHint() {
        PortierCommands.Result r = commands.run(alice, "rm -rf /");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("portier: unknown command 'rm'"), r.err());
        assertTrue(r.err().contains("help"), r.err());
    }

    @Test
    void controlCharactersAreNeverEchoed() {
        PortierCommands.Result r = commands.run(alice, "\u001b]0;pwned\u0007");
        assertFalse(r.err().contains("\u001b"), r.err());
    }

    @Test
    void tokenizerHonoursQuotes() {
        assertEquals(List.of("request", "rtr-1", "--reason", "fix the BGP session"),
                PortierCommands.tokenize("request rtr-1 --reason 'fix the BGP session'"));
        assertThrows(IllegalArgumentException.class, () -> PortierCommands.tokenize("a 'b"));
    }
}
