package dev.portier.access.sod;

import static dev.portier.access.sod.SodFixtures.ALICE;
import static dev.portier.access.sod.SodFixtures.BOB;
import static dev.portier.access.sod.SodFixtures.ERIN;
import static dev.portier.access.sod.SodFixtures.ROUTER;
import static dev.portier.access.sod.SodFixtures.WEB;
import static dev.portier.access.sod.SodFixtures.person;
import static dev.portier.access.sod.SodFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.config.Classification;
import dev.portier.config.SodConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApproverIndependenceRuleTest {
    private final SodEngine sod = SodFixtures.engine();

    @Test
    void approverSharingATeamWithTheRequesterOnARestrictedTargetIsRefused() {
        List<Violation> v = sod.checkApproval(ERIN, request("alice", "employees", ROUTER), ALICE, ROUTER, HeldAccess.NONE);
        assertEquals(List.of(new Violation("approver-independence", "refused by SoD rule approver-independence: you share"
                + " team netops with requester alice, and restricted targets need an approver from outside the requester's"
                + " teams")), v);
    }

    @Test
    void sharedTeamIsFoundWhateverItsCase() {
        assertEquals("approver-independence", sod.checkApprover(person("zed", "employees", Set.of("NetOps"), Set.of()),
                ALICE, Classification.RESTRICTED).get(0).rule());
    }

    @Test
    void sharingATeamOnAnInternalTargetIsAllowed() {
        assertTrue(sod.checkApproval(ERIN, request("alice", "employees", WEB), ALICE, WEB, HeldAccess.NONE).isEmpty());
    }

    @Test
    void approverFromAnotherTeamPassesOnARestrictedTarget() {
        assertTrue(sod.checkApprover(BOB, ALICE, Classification.RESTRICTED).isEmpty());
    }

    @Test
    void withoutConfigurationTheRuleIsOff() {
        assertTrue(new SodEngine(SodConfig.DEFAULT).checkApprover(ERIN, ALICE, Classification.RESTRICTED).isEmpty());
    }
}
