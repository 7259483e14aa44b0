package dev.portier.access.sod;

import static dev.portier.access.sod.SodFixtures.ALICE;
import static dev.portier.access.sod.SodFixtures.AUDIT_DB;
import static dev.portier.access.sod.SodFixtures.BILLING_DB;
import static dev.portier.access.sod.SodFixtures.BOB;
import static dev.portier.access.sod.SodFixtures.MONDAY_10H;
import static dev.portier.access.sod.SodFixtures.ROUTER;
import static dev.portier.access.sod.SodFixtures.person;
import static dev.portier.access.sod.SodFixtures.policy;
import static dev.portier.access.sod.SodFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.sod.HeldAccess.Held;
import dev.portier.config.PolicyConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExclusiveAccessRuleTest {
    private final SodEngine sod = SodFixtures.engine();
    private final PolicyConfig policy = policy("p", List.of());

    @Test
    void toxicCombinationReachedByTwoSeparateRequestsIsRefused() {
        HeldAccess held = HeldAccess.of(List.of(Held.pendingRequest(BILLING_DB, "r-0")));
        List<Violation> v = sod.checkRequest(ALICE, AUDIT_DB, policy, MONDAY_10H, held);
        assertEquals(List.of(new Violation("billing-vs-audit", "refused by SoD rule billing-vs-audit: you have a pending"
                + " request for billing-db-01 (system=billing) and may not also hold access to audit-db-01"
                + " (system=audit-store)")), v);
    }

    @Test
    void activeGrantOnOneSideRefusesARequestForTheOther() {
        HeldAccess held = HeldAccess.of(List.of(Held.grant(AUDIT_DB, "g-1")));
        List<Violation> v = sod.checkRequest(ALICE, BILLING_DB, policy, MONDAY_10H, held);
        assertEquals("refused by SoD rule billing-vs-audit: you already hold access to audit-db-01 (system=audit-store)"
                + " and may not also hold access to billing-db-01 (system=billing)", v.get(0).message());
    }

    @Test
    void toxicCombinationIsRefusedAtSessionStart() {
        HeldAccess held = HeldAccess.of(List.of(Held.grant(BILLING_DB, "g-1")));
        assertEquals("billing-vs-audit", sod.checkSessionStart(ALICE, AUDIT_DB, policy, MONDAY_10H, held).get(0).rule());
    }

    @Test
    void toxicCombinationIsRefusedAtApprovalNamingTheRequester() {
        HeldAccess held = HeldAccess.of(List.of(Held.grant(BILLING_DB, "g-1"), Held.pendingRequest(AUDIT_DB, "r-1")));
        List<Violation> v = sod.checkApproval(BOB, request("alice", "employees", AUDIT_DB), ALICE, AUDIT_DB, held);
        assertEquals(List.of(new Violation("billing-vs-audit", "refused by SoD rule billing-vs-audit: alice already holds"
                + " access to billing-db-01 (system=billing) and may not also hold access to audit-db-01"
                + " (system=audit-store)")), v);
    }

    @Test
    void theRequestBeingApprovedIsNotACombinationWithItself() {
        HeldAccess held = HeldAccess.of(List.of(Held.pendingRequest(BILLING_DB, "r-1")));
        assertTrue(sod.checkApproval(BOB, request("alice", "employees", BILLING_DB), ALICE, BILLING_DB, held).isEmpty());
    }

    @Test
    void roleOnOneSideRefusesTheTargetsOfTheOther() {
        List<Violation> v = sod.checkRequest(person("dan", "employees", Set.of(), Set.of("dba")), BILLING_DB, policy,
                MONDAY_10H, HeldAccess.NONE);
        assertEquals(List.of(new Violation("dba-vs-billing", "refused by SoD rule dba-vs-billing: you have role dba and may"
                + " not also hold access to billing-db-01 (system=billing)")), v);
    }

    @Test
    void unrelatedHoldingsPass() {
        HeldAccess held = HeldAccess.of(List.of(Held.grant(ROUTER, "g-1")));
        assertTrue(sod.checkRequest(ALICE, AUDIT_DB, policy, MONDAY_10H, held).isEmpty());
    }
}
