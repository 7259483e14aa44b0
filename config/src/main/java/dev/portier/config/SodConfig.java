package dev.portier.config;

import java.util.List;
import java.util.Set;

/**
 * {@code sod:} the configurable segregation-of-duties rules. No self-approval and distinct people are always
 * on and have no key here.
 *
 * @param approverIndependence {@code null} when not configured
 * @param exclusiveAccess      pairs one person may not hold at the same time
 * @param roleConflicts        roles one identity may not hold together
 * @param suppliers            which realms are suppliers; {@link Suppliers#DEFAULT} unless written
 */
public record SodConfig(
        ApproverIndependence approverIndependence,
        List<ExclusiveAccess> exclusiveAccess,
        List<RoleConflict> roleConflicts,
        Suppliers suppliers) {

    public static final SodConfig DEFAULT = new SodConfig(null, List.of(), List.of(), Suppliers.DEFAULT);

    /** Names of the built-in rules, as denials name them; configured rules may not take them. */
    public static final String NO_SELF_APPROVAL = "no-self-approval";
    public static final String DISTINCT_PEOPLE = "distinct-people";
    public static final String APPROVER_INDEPENDENCE = "approver-independence";
    public static final String SUPPLIERS = "suppliers";
    public static final String BREAK_GLASS = "break-glass";
    public static final String MAX_DURATION = "max-duration";
    /** A policy's own approval rule: who is in its approver groups, and whether enough people are. */
    public static final String APPROVERS = "approvers";
    public static final List<String> BUILT_IN_RULES = List.of(
            NO_SELF_APPROVAL, DISTINCT_PEOPLE, APPROVER_INDEPENDENCE, SUPPLIERS, BREAK_GLASS, MAX_DURATION, APPROVERS);

    public SodConfig {
        exclusiveAccess = List.copyOf(exclusiveAccess);
        roleConflicts = List.copyOf(roleConflicts);
    }

    /**
     * {@code sod.approverIndependence:} on targets of these classifications, an approver may not share a team
     * with the requester.
     *
     * @param independentOf what the approver must not share; only {@link #TEAM} exists
     */
    public record ApproverIndependence(Set<Classification> classifications, String independentOf) {
        public static final String TEAM = "team";

        public ApproverIndependence {
            classifications = Set.copyOf(classifications);
        }
    }

    /**
     * One entry of {@code sod.exclusiveAccess:} (a toxic combination): nobody may hold {@code a} and
     * {@code b} at the same time.
     */
    public record ExclusiveAccess(String name, Side a, Side b) {
    }

    /**
     * One side of an exclusive-access pair: either targets (held through grants and pending requests) or
     * roles (held by the identity), never both.
     */
    public record Side(TargetSelector targets, List<String> roles) {
        public Side {
            roles = List.copyOf(roles);
        }

        public boolean isRoles() {
            return !roles.isEmpty();
        }
    }

    /** One entry of {@code sod.roleConflicts:}: one identity may not hold all these roles. */
    public record RoleConflict(String name, List<String> roles) {
        public RoleConflict {
            roles = List.copyOf(roles);
        }
    }

    /**
     * {@code sod.suppliers:} identities of these realms are suppliers: they reach only targets whose
     * {@code labels[contractLabel]} names one of their teams, only inside their policy's windows, and their
     * input is always recorded.
     */
    public record Suppliers(List<String> realms, String contractLabel) {
        public static final Suppliers DEFAULT = new Suppliers(List.of("partners"), "contract");

        public Suppliers {
            realms = List.copyOf(realms);
        }
    }
}
