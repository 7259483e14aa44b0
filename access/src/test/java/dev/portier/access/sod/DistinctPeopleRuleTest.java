package dev.portier.access.sod;

import static dev.portier.access.sod.SodFixtures.ALICE;
import static dev.portier.access.sod.SodFixtures.BOB;
import static dev.portier.access.sod.SodFixtures.WEB;
import static dev.portier.access.sod.SodFixtures.person;
import static dev.portier.access.sod.SodFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.identity.Identity;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DistinctPeopleRuleTest {
    private final SodEngine sod = SodFixtures.engine();

    @Test
    void approvingTheSameRequestTwiceIsRefused() {
        List<Violation> v = sod.checkApproval(BOB, request("alice", "employees", WEB, "bob"), ALICE, WEB, HeldAccess.NONE);
        assertEquals(List.of(new Violation("distinct-people", "refused by SoD rule distinct-people: you already approved"
                + " request r-1; one person counts once, so another approver must add theirs")), v);
    }

    @Test
    void approvingTwiceUnderAnotherCaseOfYourNameIsRefused() {
        List<Violation> v = sod.checkApproval(person("BOB", "employees", Set.of("security"), Set.of()),
                request("alice", "employees", WEB, "bob"), ALICE, WEB, HeldAccess.NONE);
        assertEquals("distinct-people", v.get(0).rule());
    }

    @Test
    void aSecondPersonMayAddTheirApproval() {
        Identity frank = SodFixtures.FRANK;
        assertTrue(sod.checkApproval(frank, request("alice", "employees", WEB, "bob"), ALICE, WEB, HeldAccess.NONE).isEmpty());
    }
}
