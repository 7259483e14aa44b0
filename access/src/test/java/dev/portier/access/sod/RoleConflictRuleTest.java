package dev.portier.access.sod;

import static dev.portier.access.sod.SodFixtures.ALICE;
import static dev.portier.access.sod.SodFixtures.CAROL;
import static dev.portier.access.sod.SodFixtures.MONDAY_10H;
import static dev.portier.access.sod.SodFixtures.WEB;
import static dev.portier.access.sod.SodFixtures.person;
import static dev.portier.access.sod.SodFixtures.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.identity.Identity;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleConflictRuleTest {
    private final SodEngine sod = SodFixtures.engine();
    private final Identity auditorOperator = person("olga", "employees", Set.of("audit"), Set.of("auditor", "operator"));

    @Test
    void auditorWhoIsAlsoOperatorIsRefusedAtLogin() {
        assertEquals(List.of(new Violation("auditor-operator", "refused by SoD rule auditor-operator: you hold the roles"
                + " auditor and operator, which one identity may not hold together; ask an administrator to remove one of"
                + " them")), sod.checkLogin(auditorOperator));
    }

    @Test
    void rolesAreComparedWhateverTheirCase() {
        assertEquals("auditor-operator",
                sod.checkLogin(person("olga", "employees", Set.of(), Set.of("Auditor", "OPERATOR"))).get(0).rule());
    }

    @Test
    void oneOfTheRolesAlonePasses() {
        assertTrue(sod.checkLogin(ALICE).isEmpty());
        assertTrue(sod.checkLogin(CAROL).isEmpty());
    }

    @Test
    void conflictIsAlsoRefusedAtSessionStart() {
        assertEquals("auditor-operator", sod.checkSessionStart(auditorOperator, WEB, policy("p", List.of()), MONDAY_10H,
                HeldAccess.NONE).get(0).rule());
    }
}
