package dev.portier.access.policy;

import static dev.portier.access.policy.ChannelKind.EXEC;
import static dev.portier.access.policy.ChannelKind.SFTP;
import static dev.portier.access.policy.ChannelKind.SHELL;
import static dev.portier.access.policy.Fixtures.ALICE;
import static dev.portier.access.policy.Fixtures.DAVE;
import static dev.portier.access.policy.Fixtures.EVE;
import static dev.portier.access.policy.Fixtures.SAM;
import static dev.portier.access.policy.Fixtures.decide;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.config.Classification;
import dev.portier.config.PolicyConfig;
import dev.portier.config.TargetSelector;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {
    private final PolicyEngine engine = Fixtures.engine();

    private static Decision.Deny denied(Decision d, String code) {
        Decision.Deny deny = assertInstanceOf(Decision.Deny.class, d, () -> "expected a deny, got " + d);
        assertEquals(code, deny.code(), deny::toString);
        return deny;
    }

    private static Decision.Permit permitted(Decision d) {
        return assertInstanceOf(Decision.Permit.class, d, () -> "expected a permit, got " + d);
    }

    @Test
    void unknownTargetIsDeniedWithAHint() {
        Decision.Deny d = denied(decide(engine, ALICE, "rtr-x", "admin", SHELL), "unknown-target");
        assertEquals("unknown target rtr-x; run: ssh portier targets", d.message());
    }

    @Test
    void unknownAccountIsDeniedListingTheTargetsAccounts() {
        Decision.Deny d = denied(decide(engine, ALICE, "rtr-bru-01", "root", SHELL), "unknown-account");
        assertEquals("rtr-bru-01 has no account root; its accounts are: admin, backup", d.message());
    }

    @Test
    void userWithoutAMatchingPolicyIsDenied() {
        Decision.Deny d = denied(decide(engine, EVE, "rtr-bru-01", "admin", SHELL), "no-policy");
        assertEquals("no policy gives eve access to rtr-bru-01; run: ssh portier targets", d.message());
    }

    @Test
    void accountThatNoMatchingPolicyAllowsIsDenied() {
        Decision.Deny d = denied(decide(engine, ALICE, "srv-web-01", "www", SHELL), "account-not-allowed");
        assertEquals("account www on srv-web-01 is not allowed for alice; allowed accounts: root, deploy",
                d.message());
    }

    @Test
    void channelKindThatNoMatchingPolicyAllowsIsDenied() {
        Decision.Deny d = denied(decide(engine, ALICE, "srv-web-01", "deploy", SFTP), "channel-not-allowed");
        assertEquals("sftp is not allowed on srv-web-01/deploy; allowed channel kinds: exec", d.message());
    }

    @Test
    void standingPolicyPermitsAndIsNamed() {
        Decision.Permit p = permitted(decide(engine, ALICE, "srv-web-01", "deploy", EXEC));
        assertEquals("web-deploy", p.policy());
        assertEquals("standing", p.basis());
        assertEquals("access to srv-web-01/deploy (exec) allowed by standing policy web-deploy", p.message());
    }

    @Test
    void policyRequiringApprovalDeniesWithWhatToDo() {
        Decision.Deny d = denied(decide(engine, ALICE, "rtr-ams-01", "admin", SHELL), "approval-required");
        assertEquals("access to rtr-ams-01/admin requires an approved request under policy netops-routers;"
                + " run: ssh portier request rtr-ams-01/admin --reason TEXT", d.message());
    }

    @Test
    void standingPolicyWinsOverAnEarlierApprovalPolicy() {
        Decision.Permit p = permitted(decide(engine, ALICE, "rtr-bru-01", "admin", SHELL));
        assertEquals("netops-bru-standing", p.policy());
    }

    @Test
    void standingPolicyOnlyCoversItsOwnChannelKinds() {
        Decision.Deny d = denied(decide(engine, ALICE, "rtr-bru-01", "admin", SFTP), "approval-required");
        assertTrue(d.message().contains("under policy netops-routers"), d.message());
    }

    @Test
    void missingAccountMeansTheTargetsFirstAccount() {
        Decision.Deny d = denied(decide(engine, ALICE, "rtr-ams-01", null, SHELL), "approval-required");
        assertTrue(d.message().startsWith("access to rtr-ams-01/admin "), d.message());
    }

    @Test
    void partnerDoesNotMatchEmployeesOnlyPolicy() {
        Decision.Deny d = denied(decide(engine, DAVE, "srv-db-01", "root", SHELL), "no-policy");
        assertEquals(List.of("policy employees-ops: subject does not match (realm partners not in [employees]);"
                + " target matches (names srv-web-01, srv-db-01)"), d.explanation());
    }

    @Test
    void employeeWithTheRoleMatchesEmployeesOnlyPolicy() {
        Decision.Permit p = permitted(decide(engine, ALICE, "srv-db-01", "root", SHELL));
        assertEquals("employees-ops", p.policy());
        assertEquals(List.of("policy employees-ops: subject matches (role operator in realm employees);"
                + " target matches (names srv-web-01, srv-db-01); account root allowed; channel shell allowed;"
                + " standing access"), p.explanation());
    }

    @Test
    void realmOnlySelectorMatchesEveryoneInThatRealm() {
        assertEquals("partners-jump", permitted(decide(engine, DAVE, "jump-01", null, SHELL)).policy());
        denied(decide(engine, ALICE, "jump-01", null, SHELL), "no-policy");
    }

    @Test
    void labelSelectorNeedsEveryLabel() {
        // netops-bru-standing wants kind=router AND site=bru: rtr-ams-01 is a router elsewhere.
        Decision.Deny d = denied(decide(engine, ALICE, "rtr-ams-01", "admin", SHELL), "approval-required");
        assertTrue(d.explanation().stream().noneMatch(l -> l.contains("netops-bru-standing")), d::toString);
    }

    @Test
    void classificationSelectorMatchesListedClassificationsOnly() {
        assertEquals("restricted-security", permitted(decide(engine, SAM, "fw-bru-01", "admin", SHELL)).policy());
        Decision.Deny d = denied(decide(engine, SAM, "srv-app-01", "root", SHELL), "no-policy");
        assertTrue(d.explanation().stream().noneMatch(l -> l.contains("restricted-security")), d::toString);
    }

    @Test
    void nameSelectorMatchesListedTargetsOnly() {
        permitted(decide(engine, ALICE, "srv-web-01", "root", SHELL));
        denied(decide(engine, ALICE, "srv-app-01", "root", SHELL), "no-policy");
    }

    @Test
    void explanationListsEachConsideredPolicyInConfigOrder() {
        Decision d = decide(engine, ALICE, "rtr-bru-01", "admin", SHELL);
        assertEquals(List.of(
                "policy netops-routers: subject matches (team netops); target matches (labels kind=router);"
                        + " account admin allowed; channel shell allowed; approval required",
                "policy netops-bru-standing: subject matches (team netops); target matches (labels kind=router,"
                        + " site=bru); account admin allowed; channel shell allowed; standing access",
                "policy restricted-security: subject does not match (needs roles [security-officer]);"
                        + " target matches (classification restricted)"),
                d.explanation());
    }

    @Test
    void explanationSaysWhichAccountsAndChannelsAPolicyAllows() {
        Decision d = decide(engine, ALICE, "srv-web-01", "www", SFTP);
        assertTrue(d.explanation().contains("policy web-deploy: subject matches (user alice); target matches"
                + " (names srv-web-01); account www not allowed (allows deploy); channel sftp not allowed"
                + " (allows exec); standing access"), d::toString);
    }

    @Test
    void explanationSaysWhenNoPolicyCoversTheTarget() {
        PolicyEngine none = new PolicyEngine(Fixtures.config(Fixtures.TARGETS, List.of()));
        Decision.Deny d = denied(decide(none, ALICE, "rtr-bru-01", "admin", SHELL), "no-policy");
        assertEquals(List.of("no policy's target selector matches rtr-bru-01 (0 policies)"), d.explanation());
    }

    @Test
    void emptySubjectSelectorMatchesNobody() {
        PolicyEngine e = new PolicyEngine(Fixtures.config(Fixtures.TARGETS, List.of(Fixtures.policy("open",
                Fixtures.subjects(List.of(), List.of(), List.of(), List.of()),
                new TargetSelector(List.of("jump-01"), Map.of(), List.of()), List.of(), Set.of("shell"), false))));
        denied(decide(e, ALICE, "jump-01", null, SHELL), "no-policy");
    }

    @Test
    void emptyTargetSelectorMatchesNoTarget() {
        PolicyEngine e = new PolicyEngine(Fixtures.config(Fixtures.TARGETS, List.of(Fixtures.policy("everywhere",
                Fixtures.subjects(List.of("alice"), List.of(), List.of(), List.of()),
                new TargetSelector(List.of(), Map.of(), List.of()), List.of(), Set.of("shell"), false))));
        denied(decide(e, ALICE, "jump-01", null, SHELL), "no-policy");
    }

    @Test
    void controlCharactersInARequestedNameAreNotEchoed() {
        Decision.Deny d = denied(decide(engine, ALICE, "rtr\u001b]0;pwned\u0007", "admin", SHELL), "unknown-target");
        assertFalse(d.message().chars().anyMatch(Character::isISOControl), d.message());
    }

    @Test
    void reachableListsWhatAnEmployeeCanOpenInInventoryOrder() {
        List<ReachableTarget> r = engine.reachable(ALICE);
        assertEquals(List.of("rtr-bru-01", "rtr-ams-01", "srv-web-01", "srv-db-01"),
                r.stream().map(t -> t.target().name()).toList());
        ReachableTarget bru = r.get(0);
        assertEquals(List.of("admin", "backup"), bru.accounts());
        assertEquals(Set.of(SHELL, EXEC, SFTP), bru.channels());
        assertFalse(bru.approvalRequired());
        assertEquals(List.of("netops-routers", "netops-bru-standing"), bru.policies());
        ReachableTarget ams = r.get(1);
        assertTrue(ams.approvalRequired());
        assertEquals(List.of("netops-routers"), ams.policies());
        ReachableTarget web = r.get(2);
        assertEquals(List.of("root", "deploy"), web.accounts());
        assertEquals(Set.of(SHELL, EXEC), web.channels());
        assertEquals(List.of("web-deploy", "employees-ops"), web.policies());
    }

    @Test
    void reachableSkipsPoliciesThatAllowNoAccountOfTheTarget() {
        List<ReachableTarget> r = engine.reachable(DAVE);
        assertEquals(List.of("srv-web-01", "jump-01"), r.stream().map(t -> t.target().name()).toList());
        assertEquals(List.of("deploy"), r.get(0).accounts());
        assertTrue(r.get(0).approvalRequired());
        assertEquals(List.of("guest"), r.get(1).accounts());
    }

    @Test
    void reachableIsEmptyForSomeoneWithoutPolicies() {
        assertEquals(List.of(), engine.reachable(EVE));
    }

    @Test
    void inventoryFindsTargetsByNameAndKeepsConfigOrder() {
        Inventory inv = engine.inventory();
        assertEquals(Classification.RESTRICTED, inv.find("fw-bru-01").orElseThrow().classification());
        assertTrue(inv.find("nope").isEmpty());
        assertEquals(Fixtures.TARGETS, inv.all());
    }

    @Test
    void policyIsFoundByNameInAnyCase() {
        assertEquals("netops-routers", engine.policy("NetOps-Routers").orElseThrow().name());
        assertTrue(engine.policy("nope").isEmpty());
    }

    @Test
    void matchingListsEveryPolicyCoveringTheQueryStandingOrNot() {
        assertEquals(List.of("netops-routers", "netops-bru-standing"), engine.matching(
                new AccessQuery(ALICE, "rtr-bru-01", "admin", SHELL)).stream().map(PolicyConfig::name).toList());
        assertEquals(List.of("netops-routers"), engine.matching(
                new AccessQuery(ALICE, "rtr-bru-01", null, EXEC)).stream().map(PolicyConfig::name).toList());
    }

    @Test
    void matchingIsEmptyForAnUnknownTargetOrAccount() {
        assertEquals(List.of(), engine.matching(new AccessQuery(ALICE, "rtr-x", "admin", SHELL)));
        assertEquals(List.of(), engine.matching(new AccessQuery(ALICE, "rtr-bru-01", "root", SHELL)));
    }
}
