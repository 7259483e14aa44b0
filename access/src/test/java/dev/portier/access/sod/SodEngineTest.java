package dev.portier.access.sod;

import static dev.portier.access.sod.SodFixtures.ALICE;
import static dev.portier.access.sod.SodFixtures.BOB;
import static dev.portier.access.sod.SodFixtures.WEB;
import static dev.portier.access.sod.SodFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.config.ConfigLoader;
import dev.portier.config.SodConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class SodEngineTest {

    @Test
    void builtInRulesAreOnWithoutAnyConfiguration() {
        SodEngine sod = new SodEngine(ConfigLoader.defaults());
        assertEquals(List.of("no-self-approval", "distinct-people", "suppliers"), sod.rules().stream().map(SodRule::name).toList());
    }

    @Test
    void configuredRulesFollowTheBuiltInOnesInConfigOrder() {
        assertEquals(List.of("no-self-approval", "distinct-people", "approver-independence", "suppliers", "billing-vs-audit",
                "dba-vs-billing", "auditor-operator"), SodFixtures.engine().rules().stream().map(SodRule::name).toList());
    }

    @Test
    void everyViolationIsReportedInRuleOrder() {
        List<Violation> v = new SodEngine(SodFixtures.SOD).checkApproval(ALICE, request("alice", "employees", WEB, "alice"),
                ALICE, WEB, HeldAccess.NONE);
        assertEquals(List.of(SodConfig.NO_SELF_APPROVAL, SodConfig.DISTINCT_PEOPLE), v.stream().map(Violation::rule).toList());
    }

    @Test
    void allowedApprovalHasNoViolation() {
        assertTrue(SodFixtures.engine().checkApproval(BOB, request("alice", "employees", WEB), ALICE, WEB, null).isEmpty());
    }
}
