package dev.portier.access.sod;

import static dev.portier.access.sod.SodFixtures.ALICE;
import static dev.portier.access.sod.SodFixtures.BOB;
import static dev.portier.access.sod.SodFixtures.WEB;
import static dev.portier.access.sod.SodFixtures.person;
import static dev.portier.access.sod.SodFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.identity.Identity;
import dev.portier.config.Classification;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoSelfApprovalRuleTest {
    private final SodEngine sod = SodFixtures.engine();

    @Test
    void approvingYourOwnRequestIsRefused() {
        List<Violation> v = sod.checkApproval(ALICE, request("alice", "employees", WEB), ALICE, WEB, HeldAccess.NONE);
        assertEquals(List.of(new Violation("no-self-approval", "refused by SoD rule no-self-approval: you cannot approve"
                + " your own request r-1; another approver must decide it")), v);
    }

    @Test
    void approvingYourOwnRequestUnderAnotherCaseOfYourNameIsRefused() {
        Identity upperAlice = person("Alice", "employees", Set.of("security"), Set.of("approver"));
        List<Violation> v = sod.checkApproval(upperAlice, request("alice", "employees", WEB), ALICE, WEB, HeldAccess.NONE);
        assertEquals("no-self-approval", v.get(0).rule());
    }

    @Test
    void approvingYourOwnRequestIsRefusedThroughTheStoredNameEvenWhenTheRequesterIdentityDiffers() {
        Identity stranger = person("mallory", "employees", Set.of(), Set.of());
        List<Violation> v = sod.checkApproval(ALICE, request("ALICE", "employees", WEB), stranger, WEB, HeldAccess.NONE);
        assertEquals("no-self-approval", v.get(0).rule());
    }

    @Test
    void youAreNeverAnEligibleApproverOfYourself() {
        assertEquals("no-self-approval", sod.checkApprover(ALICE, ALICE, Classification.INTERNAL).get(0).rule());
    }

    @Test
    void sameNameInAnotherRealmIsAnotherPerson() {
        Identity partnerAlice = person("alice", "partners", Set.of("acme"), Set.of("approver"));
        assertTrue(sod.checkApprover(partnerAlice, ALICE, Classification.INTERNAL).isEmpty());
    }

    @Test
    void anotherPersonMayApprove() {
        assertTrue(sod.checkApproval(BOB, request("alice", "employees", WEB), ALICE, WEB, HeldAccess.NONE).isEmpty());
    }
}
