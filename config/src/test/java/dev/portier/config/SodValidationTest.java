package dev.portier.config;

import static dev.portier.config.ConfigAssertions.problem;
import static dev.portier.config.ConfigAssertions.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SodValidationTest {
    /** One target on lines 1-6, so {@code sod:} is line 7 and the lines given start on line 8. */
    private static String sod(String... lines) {
        StringBuilder yaml = new StringBuilder("targets:\n").append(target("rtr-1", "[admin]")).append("sod:\n");
        for (String line : lines) {
            yaml.append("  ").append(line).append('\n');
        }
        return yaml.toString();
    }

    private static SodConfig parsed(String... lines) throws ConfigException {
        return ConfigLoader.parse(sod(lines), "portier.yaml").sod();
    }

    @Test
    void withoutSodSectionOnlyTheBuiltInRulesAndSupplierDefaultsApply() throws ConfigException {
        SodConfig sod = ConfigLoader.parse("", "portier.yaml").sod();
        assertNull(sod.approverIndependence());
        assertEquals(new SodConfig.Suppliers(List.of("partners"), "contract"), sod.suppliers());
    }

    @Test
    void fullSodSectionIsReadIntoRecords() throws ConfigException {
        SodConfig sod = parsed(
                "approverIndependence: { classifications: [restricted, confidential], independentOf: team }",
                "exclusiveAccess:",
                "  - { name: billing-vs-audit, a: { labels: { system: billing } }, b: { labels: { system: audit-store } } }",
                "  - { name: dba-vs-audit, a: { roles: [dba] }, b: { names: [rtr-1] } }",
                "roleConflicts:",
                "  - { name: auditor-operator, roles: [auditor, operator] }",
                "suppliers: { realms: [partners, vendors], contractLabel: agreement }");
        assertEquals(new SodConfig.ApproverIndependence(Set.of(Classification.RESTRICTED, Classification.CONFIDENTIAL), "team"),
                sod.approverIndependence());
        assertEquals(new SodConfig.ExclusiveAccess("billing-vs-audit",
                new SodConfig.Side(new TargetSelector(List.of(), Map.of("system", "billing"), List.of()), List.of()),
                new SodConfig.Side(new TargetSelector(List.of(), Map.of("system", "audit-store"), List.of()), List.of())),
                sod.exclusiveAccess().get(0));
        assertEquals(List.of("dba"), sod.exclusiveAccess().get(1).a().roles());
        assertEquals(List.of(new SodConfig.RoleConflict("auditor-operator", List.of("auditor", "operator"))), sod.roleConflicts());
        assertEquals(new SodConfig.Suppliers(List.of("partners", "vendors"), "agreement"), sod.suppliers());
    }

    @Test
    void approverIndependenceDefaultsToRestrictedTargets() throws ConfigException {
        assertEquals(Set.of(Classification.RESTRICTED), parsed("approverIndependence: {}").approverIndependence().classifications());
    }

    @Test
    void independenceFromAnythingButTeamIsRefused() {
        assertEquals("portier.yaml:8: sod.approverIndependence.independentOf: unknown value \"site\"; allowed: team",
                problem(sod("approverIndependence: { independentOf: site }")));
    }

    @Test
    void selfApprovalCannotBeTurnedOff() {
        assertEquals("portier.yaml:8: sod.noSelfApproval: unknown key; allowed keys: approverIndependence, exclusiveAccess,"
                        + " roleConflicts, suppliers",
                problem(sod("noSelfApproval: false")));
    }

    @Test
    void exclusiveAccessSideMustSelectSomething() {
        assertEquals("portier.yaml:9: sod.exclusiveAccess[0].b: selects nothing; use names, labels, classification or roles",
                problem(sod("exclusiveAccess:", "  - { name: x, a: { labels: { system: billing } }, b: {} }")));
    }

    @Test
    void exclusiveAccessSideMayNotMixRolesAndTargets() {
        assertEquals("portier.yaml:9: sod.exclusiveAccess[0].a: mixes roles with target criteria; a side is either roles or targets",
                problem(sod("exclusiveAccess:", "  - { name: x, a: { roles: [dba], names: [rtr-1] }, b: { names: [rtr-1] } }")));
    }

    @Test
    void exclusiveAccessWithTwoRoleSidesBelongsUnderRoleConflicts() {
        assertEquals("portier.yaml:9: sod.exclusiveAccess[0]: both sides are roles; write this rule under roleConflicts",
                problem(sod("exclusiveAccess:", "  - { name: x, a: { roles: [dba] }, b: { roles: [auditor] } }")));
    }

    @Test
    void exclusiveAccessNamingAnUnknownTargetIsRefused() {
        assertEquals("portier.yaml:9: sod.exclusiveAccess[0].a.names[0]: unknown target \"db-9\"; known targets: rtr-1",
                problem(sod("exclusiveAccess:", "  - { name: x, a: { names: [db-9] }, b: { names: [rtr-1] } }")));
    }

    @Test
    void exclusiveAccessWithoutSideIsRefused() {
        assertEquals("portier.yaml:9: sod.exclusiveAccess[0].b: is required: targets ({ names, labels, classification })"
                        + " or { roles: [...] }",
                problem(sod("exclusiveAccess:", "  - { name: x, a: { names: [rtr-1] } }")));
    }

    @Test
    void roleConflictNeedsTwoDifferentRoles() {
        assertEquals("portier.yaml:9: sod.roleConflicts[0].roles: must list at least two different roles that one identity"
                        + " may not hold together, e.g. [auditor, operator]",
                problem(sod("roleConflicts:", "  - { name: x, roles: [auditor, Auditor] }")));
    }

    @Test
    void ruleNamesAreUniqueAcrossTheSection() {
        assertEquals("portier.yaml:11: sod.roleConflicts[0].name: duplicate SoD rule name \"Same\" (first at line 9)",
                problem(sod("exclusiveAccess:", "  - { name: same, a: { names: [rtr-1] }, b: { labels: { k: v } } }",
                        "roleConflicts:", "  - { name: Same, roles: [a, b] }")));
    }

    @Test
    void ruleMayNotTakeABuiltInName() {
        assertEquals("portier.yaml:9: sod.roleConflicts[0].name: \"no-self-approval\" is the name of a built-in rule;"
                        + " choose another name",
                problem(sod("roleConflicts:", "  - { name: no-self-approval, roles: [a, b] }")));
    }

    @Test
    void ruleWithoutNameIsRefused() {
        assertEquals("portier.yaml:9: sod.roleConflicts[0].name: is required: denials quote it, e.g. billing-vs-audit",
                problem(sod("roleConflicts:", "  - { roles: [a, b] }")));
    }

    @Test
    void suppliersMayBeLimitedToNoRealm() throws ConfigException {
        assertEquals(List.of(), parsed("suppliers: { realms: [] }").suppliers().realms());
    }
}
