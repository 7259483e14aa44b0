package dev.portier.access.sod;

import dev.portier.access.identity.Identity;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import dev.portier.config.AlgorithmsConfig;
import dev.portier.config.ApprovalConfig;
import dev.portier.config.BreakGlassConfig;
import dev.portier.config.Classification;
import dev.portier.config.HostPort;
import dev.portier.config.PolicyConfig;
import dev.portier.config.SodConfig;
import dev.portier.config.SubjectSelector;
import dev.portier.config.TargetConfig;
import dev.portier.config.TargetSelector;
import dev.portier.config.WindowConfig;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** People, targets, policies and SoD rules shared by the SoD and approval tests. */
public final class SodFixtures {
    public static final Identity ALICE = person("alice", "employees", Set.of("netops"), Set.of("operator"));
    public static final Identity BOB = person("bob", "employees", Set.of("security"), Set.of("approver"));
    public static final Identity CAROL = person("carol", "employees", Set.of("audit"), Set.of("auditor"));
    public static final Identity DAVE = person("dave", "partners", Set.of("acme"), Set.of("operator"));
    /** Shares team netops with alice. */
    public static final Identity ERIN = person("erin", "employees", Set.of("netops"), Set.of("approver"));
    public static final Identity FRANK = person("frank", "employees", Set.of("security"), Set.of("approver"));

    public static final TargetConfig BILLING_DB = target("billing-db-01", Classification.RESTRICTED, Map.of("system", "billing"));
    public static final TargetConfig AUDIT_DB = target("audit-db-01", Classification.RESTRICTED, Map.of("system", "audit-store"));
    public static final TargetConfig ROUTER = target("rtr-bru-01", Classification.RESTRICTED, Map.of("kind", "router"));
    public static final TargetConfig WEB = target("srv-web-01", Classification.INTERNAL, Map.of("kind", "server"));
    public static final TargetConfig ACME_SRV = target("acme-srv-01", Classification.INTERNAL, Map.of("contract", "acme"));
    public static final TargetConfig GLOBEX_SRV = target("globex-srv-01", Classification.INTERNAL, Map.of("contract", "globex"));

    /** Monday to Friday, 08:00 to 18:00 in Brussels. */
    public static final WindowConfig OFFICE_HOURS = new WindowConfig(
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(8, 0), LocalTime.of(18, 0),
            ZoneId.of("Europe/Brussels"));
    /** Monday 6 May 2024, 10:00 in Brussels (CEST). */
    public static final Instant MONDAY_10H = Instant.parse("2024-05-06T08:00:00Z");
    /** Saturday 4 May 2024, 10:00 in Brussels. */
    public static final Instant SATURDAY_10H = Instant.parse("2024-05-04T08:00:00Z");

    public static final SodConfig SOD = new SodConfig(
            new SodConfig.ApproverIndependence(Set.of(Classification.RESTRICTED), SodConfig.ApproverIndependence.TEAM),
            List.of(new SodConfig.ExclusiveAccess("billing-vs-audit", targets(Map.of("system", "billing")),
                            targets(Map.of("system", "audit-store"))),
                    new SodConfig.ExclusiveAccess("dba-vs-billing", new SodConfig.Side(
                            new TargetSelector(List.of(), Map.of(), List.of()), List.of("dba")),
                            targets(Map.of("system", "billing")))),
            List.of(new SodConfig.RoleConflict("auditor-operator", List.of("auditor", "operator"))),
            SodConfig.Suppliers.DEFAULT);

    private SodFixtures() {
    }

    public static Identity person(String user, String realm, Set<String> teams, Set<String> roles) {
        return new Identity(user, realm, teams, roles);
    }

    public static TargetConfig target(String name, Classification c, Map<String, String> labels) {
        return new TargetConfig(name, new HostPort("192.0.2.1", 22), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost",
                "netops", c, labels, List.of("admin"), AlgorithmsConfig.DEFAULT);
    }

    public static SubjectSelector teams(String... teams) {
        return new SubjectSelector(List.of(), List.of(teams), List.of(), List.of());
    }

    public static ApprovalConfig approval(int count, SubjectSelector... groups) {
        return new ApprovalConfig(true, List.of(groups), count, Duration.ofHours(4), Duration.ofHours(24), false);
    }

    /** A policy for everyone on every target, with this approval (null: standing), break-glass and windows. */
    public static PolicyConfig policy(String name, ApprovalConfig approval, BreakGlassConfig breakGlass,
                                      List<WindowConfig> windows) {
        return new PolicyConfig(name, new SubjectSelector(List.of(), List.of(), List.of(), List.of("employees", "partners")),
                new TargetSelector(List.of(), Map.of(), List.of(Classification.values())), List.of(), Set.of("shell"),
                approval, breakGlass, windows);
    }

    public static PolicyConfig policy(String name, List<WindowConfig> windows) {
        return policy(name, approval(1, teams("security")), null, windows);
    }

    public static SodEngine engine() {
        return new SodEngine(SOD);
    }

    /** A pending request by {@code requester} (name and realm as stored) with these earlier approvers. */
    public static AccessRequest request(String requester, String realm, TargetConfig target, String... approvers) {
        Instant created = MONDAY_10H;
        List<Approval> approvals = Arrays.stream(approvers).map(a -> new Approval(a, created, null)).toList();
        return new AccessRequest("r-1", requester, realm, target.name(), "admin", "p", "maintenance", null,
                Duration.ofHours(1), null, created, created.plus(Duration.ofHours(24)), RequestState.PENDING, false, false,
                approvals, null, null, null, 0);
    }

    private static SodConfig.Side targets(Map<String, String> labels) {
        return new SodConfig.Side(new TargetSelector(List.of(), labels, List.of()), List.of());
    }
}
