package dev.portier.config;

import static dev.portier.config.ConfigAssertions.problem;
import static dev.portier.config.ConfigAssertions.target;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PolicyValidationTest {
    /** Two targets on lines 1-11 and a comment, so the policy starts on line 14 and the lines given on 15. */
    private static final String TARGETS = "targets:\n" + target("rtr-1", "[admin]") + target("srv-1", "[deploy, root]")
            + "# policies follow\n";

    private static String policy(String... lines) {
        StringBuilder yaml = new StringBuilder(TARGETS).append("policies:\n  - name: p1\n");
        for (String line : lines) {
            yaml.append("    ").append(line).append('\n');
        }
        return yaml.toString();
    }

    @Test
    void policyNamingAnUnknownTargetListsTheKnownOnes() {
        assertEquals("portier.yaml:16: policies[0].targets.names[1]: unknown target \"rtr-2\"; known targets: rtr-1, srv-1",
                problem(policy("subjects: { teams: [netops] }", "targets: { names: [rtr-1, rtr-2] }")));
    }

    @Test
    void accountThatNoSelectedTargetHasIsReported() {
        assertEquals("portier.yaml:17: policies[0].accounts[0]: no target this policy selects has account \"root\" (selected: rtr-1)",
                problem(policy("subjects: { teams: [netops] }", "targets: { names: [rtr-1] }", "accounts: [root]")));
    }

    @Test
    void accountIsCheckedAgainstEveryTargetALabelSelects() throws ConfigException {
        PortierConfig config = ConfigLoader.parse(
                policy("subjects: { teams: [netops] }", "targets: { labels: { kind: router } }", "accounts: [root]"), "portier.yaml");
        assertEquals(2, config.targets().stream().filter(config.policies().get(0).targets()::matches).count());
    }

    @Test
    void unknownChannelKindListsTheAllowedOnes() {
        assertEquals("portier.yaml:17: policies[0].channels[1]: unknown channel kind \"x11\"; allowed: shell, exec, sftp",
                problem(policy("subjects: { teams: [netops] }", "targets: { names: [rtr-1] }", "channels: [shell, x11]")));
    }

    @Test
    void emptySubjectSelectorIsAnError() {
        assertEquals("portier.yaml:15: policies[0].subjects: selects nobody; list users, teams, roles or realms",
                problem(policy("subjects: { teams: [] }", "targets: { names: [rtr-1] }")));
    }

    @Test
    void emptyTargetSelectorIsAnError() {
        assertEquals("portier.yaml:16: policies[0].targets: selects no target; use names, labels or classification",
                problem(policy("subjects: { teams: [netops] }", "targets: { labels: {} }")));
    }

    @Test
    void missingSubjectsAreRequired() {
        assertEquals("portier.yaml:14: policies[0].subjects: is required: who the policy is for, e.g. { teams: [netops] }",
                problem(policy("targets: { names: [rtr-1] }")));
    }

    @Test
    void approvalCountBelowOneIsRefused() {
        assertEquals("portier.yaml:17: policies[0].approval.count: must be at least 1, got 0",
                problem(policy("subjects: { teams: [netops] }", "targets: { names: [rtr-1] }",
                        "approval: { approvers: [{ teams: [security] }], count: 0 }")));
    }

    @Test
    void requiredApprovalWithoutApproversIsRefused() {
        assertEquals("portier.yaml:18: policies[0].approval.approvers: must name at least one approver when approval is required,"
                        + " e.g. [{ teams: [security] }]",
                problem(policy("subjects: { teams: [netops] }", "targets: { names: [rtr-1] }", "approval:", "  approvers: []")));
    }

    @Test
    void approverSelectorWithoutAnyoneIsRefused() {
        assertEquals("portier.yaml:17: policies[0].approval.approvers[0]: names no approver; list users, teams or roles",
                problem(policy("subjects: { teams: [netops] }", "targets: { names: [rtr-1] }", "approval: { approvers: [{}] }")));
    }

    @Test
    void badMaxDurationIsReported() {
        assertEquals("portier.yaml:17: policies[0].approval.maxDuration: \"4 hours\" is not a duration (e.g. 30s, 15m, 4h, 1d, 1h30m)",
                problem(policy("subjects: { teams: [netops] }", "targets: { names: [rtr-1] }",
                        "approval: { approvers: [{ teams: [security] }], maxDuration: 4 hours }")));
    }

    @Test
    void zeroMaxDurationIsReported() {
        assertEquals("portier.yaml:17: policies[0].approval.maxDuration: \"0m\" is not a positive duration (e.g. 30s, 15m, 4h, 1d, 1h30m)",
                problem(policy("subjects: { teams: [netops] }", "targets: { names: [rtr-1] }",
                        "approval: { approvers: [{ teams: [security] }], maxDuration: 0m }")));
    }

    @Test
    void duplicatePolicyNameIsReported() {
        String yaml = policy("subjects: { teams: [a] }", "targets: { names: [rtr-1] }")
                + "  - name: P1\n    subjects: { teams: [b] }\n    targets: { names: [srv-1] }\n";
        assertEquals("portier.yaml:17: policies[1].name: duplicate policy name \"P1\" (first at line 14)", problem(yaml));
    }

    @Test
    void unknownPolicyKeyListsAllowedKeys() {
        assertEquals("portier.yaml:17: policies[0].users: unknown key; allowed keys: name, subjects, targets, accounts, channels,"
                        + " approval, breakGlass, windows",
                problem(policy("subjects: { teams: [a] }", "targets: { names: [rtr-1] }", "users: [alice]")));
    }
}
