package dev.portier.access.approval;

import static dev.portier.access.sod.SodFixtures.ALICE;
import static dev.portier.access.sod.SodFixtures.BOB;
import static dev.portier.access.sod.SodFixtures.CAROL;
import static dev.portier.access.sod.SodFixtures.ERIN;
import static dev.portier.access.sod.SodFixtures.FRANK;
import static dev.portier.access.sod.SodFixtures.approval;
import static dev.portier.access.sod.SodFixtures.person;
import static dev.portier.access.sod.SodFixtures.teams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.identity.Identity;
import dev.portier.access.sod.SodEngine;
import dev.portier.access.sod.SodFixtures;
import dev.portier.access.sod.Violation;
import dev.portier.config.ApprovalConfig;
import dev.portier.config.Classification;
import dev.portier.config.SodConfig;
import dev.portier.config.SubjectSelector;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalRuleTest {
    private static final SodEngine SOD = SodFixtures.engine();
    /** In both netops and security. */
    private static final Identity GRACE = person("grace", "employees", Set.of("netops", "security"), Set.of());
    private static final Identity HENK = person("henk", "employees", Set.of("netops"), Set.of());

    private static ApprovalRule rule(ApprovalConfig config, Classification c) {
        return new ApprovalRule("p", config, c, SOD);
    }

    private static List<ApproverVote> votes(Identity... people) {
        return Arrays.stream(people).map(ApproverVote::new).toList();
    }

    @Test
    void oneApprovalFromTheGroupSatisfiesAnInternalTarget() {
        ApprovalProgress p = rule(approval(1, teams("security")), Classification.INTERNAL).evaluate(ALICE, votes(BOB));
        assertTrue(p.satisfied());
        assertEquals("approved by bob (1 of 1 needed)", p.summary());
    }

    @Test
    void missingGroupIsNamed() {
        ApprovalProgress p = rule(approval(2, teams("netops"), teams("security")), Classification.INTERNAL)
                .evaluate(CAROL, votes(ERIN));
        assertFalse(p.satisfied());
        assertEquals("needs 1 more approval from group teams:[security]", p.summary());
    }

    @Test
    void severalGroupsNeedOneApprovalFromEach() {
        ApprovalRule r = rule(approval(2, teams("netops"), teams("security")), Classification.INTERNAL);
        assertTrue(r.evaluate(CAROL, votes(ERIN, BOB)).satisfied());
        assertFalse(r.evaluate(CAROL, votes(BOB, FRANK)).satisfied());
    }

    @Test
    void onePersonIsNotCountedForTwoGroups() {
        ApprovalProgress p = rule(approval(2, teams("netops"), teams("security")), Classification.INTERNAL)
                .evaluate(CAROL, votes(GRACE));
        assertFalse(p.satisfied());
        assertEquals(List.of("grace"), p.counted());
        assertEquals("needs 1 more approval from group teams:[security]", p.summary());
    }

    @Test
    void matchingGivesEachGroupADifferentPersonWhateverTheVoteOrder() {
        // Greedy would give grace to netops and leave security empty; grace fills security, henk netops.
        ApprovalProgress p = rule(approval(2, teams("netops"), teams("security")), Classification.INTERNAL)
                .evaluate(CAROL, votes(GRACE, HENK));
        assertTrue(p.satisfied(), p::summary);
    }

    @Test
    void onePersonApprovingTwiceCountsOnce() {
        ApprovalProgress p = rule(approval(2, teams("security")), Classification.INTERNAL).evaluate(ALICE, votes(BOB, BOB));
        assertFalse(p.satisfied());
        assertEquals(List.of("bob approved more than once; one person counts once (SoD rule distinct-people)"), p.ignored());
        assertEquals("needs 1 more approval from group teams:[security]", p.summary());
    }

    @Test
    void onePersonApprovingUnderTwoSpellingsOfTheirNameCountsOnce() {
        Identity upperBob = person("Bob", "employees", Set.of("security"), Set.of());
        assertFalse(rule(approval(2, teams("security")), Classification.INTERNAL).evaluate(ALICE, votes(BOB, upperBob))
                .satisfied());
    }

    @Test
    void requestersOwnApprovalDoesNotCount() {
        Identity upperAlice = person("ALICE", "employees", Set.of("security"), Set.of());
        ApprovalProgress p = rule(approval(1, teams("security")), Classification.INTERNAL).evaluate(ALICE, votes(upperAlice));
        assertFalse(p.satisfied());
        assertEquals(List.of("ALICE's own approval does not count (SoD rule no-self-approval)"), p.ignored());
    }

    @Test
    void restrictedTargetsNeedTwoDistinctApproversByDefault() {
        ApprovalRule r = rule(approval(1, teams("security")), Classification.RESTRICTED);
        assertEquals(2, r.requiredCount());
        ApprovalProgress p = r.evaluate(ALICE, votes(BOB));
        assertFalse(p.satisfied());
        assertEquals("needs 1 more approval from group teams:[security]", p.summary());
        assertTrue(r.evaluate(ALICE, votes(BOB, FRANK)).satisfied());
    }

    @Test
    void policyAskingForMoreThanTheRestrictedFloorWins() {
        assertEquals(3, rule(approval(3, teams("security")), Classification.RESTRICTED).requiredCount());
    }

    @Test
    void extraApprovalsBeyondOnePerGroupMayComeFromAnyGroup() {
        ApprovalRule r = rule(approval(3, teams("netops"), teams("security")), Classification.INTERNAL);
        assertEquals("needs 1 more approval from any of the approver groups", r.evaluate(CAROL, votes(ERIN, BOB)).summary());
        assertTrue(r.evaluate(CAROL, votes(ERIN, BOB, FRANK)).satisfied());
    }

    @Test
    void approverSharingTheRequestersTeamDoesNotCountOnARestrictedTarget() {
        ApprovalProgress p = rule(approval(2, teams("netops", "security")), Classification.RESTRICTED)
                .evaluate(ALICE, votes(ERIN, BOB));
        assertFalse(p.satisfied());
        assertEquals(List.of("bob"), p.counted());
        assertTrue(p.ignored().get(0).startsWith("erin's approval does not count: refused by SoD rule approver-independence"),
                p.ignored()::toString);
    }

    @Test
    void approverOutsideEveryGroupDoesNotCount() {
        ApprovalProgress p = rule(approval(1, teams("security")), Classification.INTERNAL).evaluate(ALICE, votes(CAROL));
        assertEquals(List.of("carol is in no approver group of policy p"), p.ignored());
    }

    @Test
    void groupMembershipIsByUserTeamOrRole() {
        SubjectSelector group = new SubjectSelector(List.of("Carol"), List.of("security"), List.of("approver"), List.of());
        ApprovalRule r = rule(approval(1, group), Classification.INTERNAL);
        assertEquals(List.of("carol", "bob", "erin"), r.eligibleApprovers(ALICE, List.of(CAROL, BOB, ERIN, ALICE)));
    }

    @Test
    void eligibleApproversLeaveOutTheRequesterAndThoseAnSodRuleExcludes() {
        ApprovalRule r = rule(approval(2, new SubjectSelector(List.of(), List.of(), List.of("approver"), List.of())),
                Classification.RESTRICTED);
        Identity approvingAlice = person("alice", "employees", Set.of("netops"), Set.of("approver"));
        assertEquals(List.of("bob", "frank"), r.eligibleApprovers(approvingAlice, List.of(approvingAlice, ERIN, BOB, FRANK, BOB)));
    }

    @Test
    void requestNobodyElseCouldApproveIsRefusedAtOnce() {
        ApprovalRule r = rule(approval(1, teams("security")), Classification.INTERNAL);
        Optional<Violation> v = r.unapprovable(BOB, List.of(ALICE, BOB, CAROL));
        assertEquals(Optional.of(new Violation("no-self-approval", "refused by SoD rule no-self-approval: nobody other than"
                + " you can approve your request under policy p (needs 1 more approval from group teams:[security]); ask an"
                + " administrator to name another approver")), v);
    }

    @Test
    void requestThatApproverIndependenceLeavesWithoutApproversNamesThatRule() {
        ApprovalRule r = rule(approval(1, teams("netops")), Classification.RESTRICTED);
        Identity henkOps = person("ivo", "employees", Set.of("netops"), Set.of());
        Optional<Violation> v = r.unapprovable(ALICE, List.of(ALICE, ERIN, henkOps));
        assertEquals("approver-independence", v.orElseThrow().rule());
    }

    @Test
    void requestThatEnoughPeopleCouldApproveIsNotRefused() {
        ApprovalRule r = rule(approval(1, teams("security")), Classification.RESTRICTED);
        assertEquals(Optional.empty(), r.unapprovable(ALICE, List.of(ALICE, BOB, FRANK)));
    }

    @Test
    void approvalThatIsNotRequiredIsSatisfiedWithoutVotes() {
        ApprovalConfig notRequired = new ApprovalConfig(false, List.of(), 1, Duration.ofHours(4), Duration.ofHours(24), false);
        ApprovalRule r = rule(notRequired, Classification.RESTRICTED);
        assertTrue(r.evaluate(ALICE, List.of()).satisfied());
        assertEquals(Optional.empty(), r.unapprovable(ALICE, List.of()));
    }

    @Test
    void approverOutsideEveryGroupIsToldWhichGroupsThereAre() {
        ApprovalRule r = rule(approval(2, teams("netops"), teams("security")), Classification.INTERNAL);
        assertEquals(Optional.of(new Violation(SodConfig.APPROVERS, "refused by the approval rule of policy p: you are in none"
                + " of its approver groups (teams:[netops]; teams:[security])")), r.checkMembership(CAROL));
        assertEquals(Optional.empty(), r.checkMembership(BOB));
    }

    @Test
    void standingPolicyHasNoApprovalRule() {
        assertThrows(IllegalArgumentException.class,
                () -> ApprovalRule.of(SodFixtures.policy("standing", null, null, List.of()), SodFixtures.WEB, SOD));
    }
}
