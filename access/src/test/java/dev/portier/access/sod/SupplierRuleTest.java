package dev.portier.access.sod;

import static dev.portier.access.sod.SodFixtures.ACME_SRV;
import static dev.portier.access.sod.SodFixtures.ALICE;
import static dev.portier.access.sod.SodFixtures.BOB;
import static dev.portier.access.sod.SodFixtures.DAVE;
import static dev.portier.access.sod.SodFixtures.GLOBEX_SRV;
import static dev.portier.access.sod.SodFixtures.MONDAY_10H;
import static dev.portier.access.sod.SodFixtures.OFFICE_HOURS;
import static dev.portier.access.sod.SodFixtures.SATURDAY_10H;
import static dev.portier.access.sod.SodFixtures.WEB;
import static dev.portier.access.sod.SodFixtures.policy;
import static dev.portier.access.sod.SodFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.config.PolicyConfig;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SupplierRuleTest {
    private final SodEngine sod = SodFixtures.engine();
    private final PolicyConfig inOfficeHours = policy("acme-servers", List.of(OFFICE_HOURS));

    @Test
    void supplierOutsideTheirContractIsRefusedAtRequest() {
        List<Violation> v = sod.checkRequest(DAVE, GLOBEX_SRV, inOfficeHours, MONDAY_10H, HeldAccess.NONE);
        assertEquals(List.of(new Violation("suppliers", "refused by SoD rule suppliers: globex-srv-01 is under contract"
                + " globex, which is not one of your teams (acme); suppliers reach only targets contracted to their team")), v);
    }

    @Test
    void supplierOnATargetWithoutContractLabelIsRefused() {
        assertEquals("refused by SoD rule suppliers: srv-web-01 has no contract label, which is not one of your teams"
                        + " (acme); suppliers reach only targets contracted to their team",
                sod.checkSessionStart(DAVE, WEB, inOfficeHours, MONDAY_10H, HeldAccess.NONE).get(0).message());
    }

    @Test
    void supplierOutsideTheirContractIsRefusedAtApproval() {
        List<Violation> v = sod.checkApproval(BOB, request("dave", "partners", GLOBEX_SRV), DAVE, GLOBEX_SRV, HeldAccess.NONE);
        assertTrue(v.get(0).message().contains("not one of dave's teams (acme)"), v::toString);
    }

    @Test
    void supplierOutsideThePolicyWindowIsRefusedAtSessionStart() {
        List<Violation> v = sod.checkSessionStart(DAVE, ACME_SRV, inOfficeHours, SATURDAY_10H, HeldAccess.NONE);
        assertEquals(List.of(new Violation("suppliers", "refused by SoD rule suppliers: policy acme-servers lets suppliers"
                + " start sessions only mon-fri 08:00-18:00 Europe/Brussels, and it is now sat 10:00 Europe/Brussels;"
                + " try again inside the window")), v);
    }

    @Test
    void supplierMayRequestOutsideTheWindowForLater() {
        assertTrue(sod.checkRequest(DAVE, ACME_SRV, inOfficeHours, SATURDAY_10H, HeldAccess.NONE).isEmpty());
    }

    @Test
    void supplierOnAContractedTargetInsideTheWindowPasses() {
        assertTrue(sod.checkSessionStart(DAVE, ACME_SRV, inOfficeHours, MONDAY_10H, HeldAccess.NONE).isEmpty());
    }

    @Test
    void policyWithoutWindowsPutsNoTimeLimitOnSuppliers() {
        assertTrue(sod.checkSessionStart(DAVE, ACME_SRV, policy("p", List.of()), SATURDAY_10H, HeldAccess.NONE).isEmpty());
    }

    @Test
    void employeesAreBoundNeitherByContractsNorByWindows() {
        assertTrue(sod.checkSessionStart(ALICE, GLOBEX_SRV, inOfficeHours, SATURDAY_10H, HeldAccess.NONE).isEmpty());
    }

    @Test
    void inputRecordingIsForcedForSuppliersOnly() {
        assertTrue(sod.recordInputForced(DAVE));
        assertFalse(sod.recordInputForced(ALICE));
    }

    @Test
    void supplierSessionEndsWhenTheWindowCloses() {
        assertEquals(Optional.of(Instant.parse("2024-05-06T16:00:00Z")), sod.sessionDeadline(DAVE, inOfficeHours, MONDAY_10H));
        assertEquals(Optional.empty(), sod.sessionDeadline(ALICE, inOfficeHours, MONDAY_10H));
    }
}
