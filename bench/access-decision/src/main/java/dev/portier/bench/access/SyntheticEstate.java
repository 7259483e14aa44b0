package dev.portier.bench.access;

import dev.portier.access.identity.Identity;
import dev.portier.config.AlgorithmsConfig;
import dev.portier.config.ApprovalConfig;
import dev.portier.config.BreakGlassConfig;
import dev.portier.config.Classification;
import dev.portier.config.HostPort;
import dev.portier.config.IdentityConfig;
import dev.portier.config.NotificationsConfig;
import dev.portier.config.PolicyConfig;
import dev.portier.config.PortierConfig;
import dev.portier.config.RecordingConfig;
import dev.portier.config.ServerConfig;
import dev.portier.config.SodConfig;
import dev.portier.config.StorageConfig;
import dev.portier.config.SubjectSelector;
import dev.portier.config.TargetConfig;
import dev.portier.config.TargetSelector;
import dev.portier.config.WindowConfig;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A synthetic estate shaped like a real one: 1,000 targets over 8 sites, 12 systems and 3 environments;
 * 200 policies (standing for dev and staging, approval for production and restricted gear, per-site network
 * policies, supplier contracts with working-hours windows, broad read-only policies and named-target ones);
 * SoD with exclusive-access pairs (targets and roles), role conflicts, approver independence and suppliers;
 * 1,000 people, a tenth of them suppliers. The same seed always gives the same estate.
 */
final class SyntheticEstate {
    /** The benchmark's clock: a Wednesday morning in Brussels, inside the suppliers' windows. */
    static final Instant NOW = Instant.parse("2026-11-25T09:30:00Z");
    static final int TARGETS = 1_000;
    static final int POLICIES = 200;
    static final int USERS = 1_000;

    private static final String[] SITES = {"bru", "ams", "fra", "par", "lon", "mad", "mil", "vie"};
    private static final String[] SYSTEMS = {"billing", "payments", "crm", "hr", "web", "mail", "dns", "monitoring",
        "logging", "ci", "storage", "identity"};
    private static final Set<String> SENSITIVE = Set.of("billing", "payments", "hr", "identity");
    private static final String[] APP_TEAMS = {"billing-dev", "payments-dev", "crm-dev", "hr-it", "web-dev",
        "mail-ops", "dns-ops", "observability", "ci-ops", "storage-ops", "iam", "platform", "release", "finance-it"};
    private static final String[] OPS_TEAMS = {"netops", "secops", "dba", "sre", "support-l1", "support-l2"};
    private static final String[] SUPPLIERS = {"acme", "globex", "initech"};
    private static final SubjectSelector APPROVERS = subjects(List.of(), List.of(), List.of("approver"), List.of());
    private static final List<WindowConfig> OFFICE_HOURS = List.of(new WindowConfig(
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(8, 0), LocalTime.of(18, 0),
            ZoneId.of("Europe/Brussels")));

    final PortierConfig config;
    final List<Identity> users;

    private SyntheticEstate(PortierConfig config, List<Identity> users) {
        this.config = config;
        this.users = users;
    }

    static SyntheticEstate build(long seed) {
        Random rnd = new Random(seed);
        List<TargetConfig> targets = targets(rnd);
        List<Identity> users = users(rnd);
        List<PolicyConfig> policies = policies(rnd, targets, users);
        PortierConfig config = new PortierConfig(null,
                new ServerConfig(Path.of("data"), ServerConfig.DEFAULT_SSH, ServerConfig.DEFAULT_HTTPS),
                new IdentityConfig(List.of()), targets, policies, RecordingConfig.DEFAULT, sod(),
                NotificationsConfig.NONE, StorageConfig.EMBEDDED, dev.portier.config.SiemConfig.NONE);
        return new SyntheticEstate(config, users);
    }

    private static List<TargetConfig> targets(Random rnd) {
        List<TargetConfig> out = new ArrayList<>(TARGETS);
        for (int i = 0; i < TARGETS; i++) {
            int k = rnd.nextInt(100);
            String kind = k < 45 ? "server" : k < 65 ? "database" : k < 75 ? "router" : k < 85 ? "switch"
                    : k < 93 ? "firewall" : "loadbalancer";
            String site = SITES[rnd.nextInt(SITES.length)];
            int e = rnd.nextInt(10);
            String env = e < 5 ? "prod" : e < 8 ? "staging" : "dev";
            boolean network = kind.equals("router") || kind.equals("switch") || kind.equals("firewall");
            String system = network ? "network" : SYSTEMS[rnd.nextInt(SYSTEMS.length)];
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("site", site);
            labels.put("kind", kind);
            labels.put("env", env);
            labels.put("system", system);
            if (!network && rnd.nextInt(10) == 0) {
                labels.put("contract", SUPPLIERS[rnd.nextInt(SUPPLIERS.length)]);
            }
            String name = kind.substring(0, 3) + "-" + site + "-" + system + "-" + String.format("%04d", i);
            out.add(new TargetConfig(name, new HostPort("10." + (i >> 8) + "." + (i & 255) + ".1", 22),
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchHostKey" + i, owner(system, network, i),
                    classification(kind, env, system, rnd), labels, accounts(kind), AlgorithmsConfig.DEFAULT));
        }
        return out;
    }

    private static String owner(String system, boolean network, int i) {
        if (network) {
            return i % 3 == 0 ? "secops" : "netops";
        }
        for (int t = 0; t < APP_TEAMS.length; t++) {
            if (ownedSystems(t).contains(system)) {
                return APP_TEAMS[t];
            }
        }
        return "platform";
    }

    private static Classification classification(String kind, String env, String system, Random rnd) {
        boolean prod = env.equals("prod");
        return switch (kind) {
            case "firewall" -> Classification.RESTRICTED;
            case "router", "switch", "loadbalancer" -> prod ? Classification.CONFIDENTIAL : Classification.INTERNAL;
            case "database" -> !prod ? Classification.INTERNAL
                    : SENSITIVE.contains(system) ? Classification.RESTRICTED : Classification.CONFIDENTIAL;
            default -> prod ? (SENSITIVE.contains(system) ? Classification.CONFIDENTIAL : Classification.INTERNAL)
                    : env.equals("dev") && rnd.nextBoolean() ? Classification.PUBLIC : Classification.INTERNAL;
        };
    }

    private static List<String> accounts(String kind) {
        return switch (kind) {
            case "router", "switch", "firewall" -> List.of("admin", "readonly");
            case "database" -> List.of("postgres", "root");
            case "loadbalancer" -> List.of("admin");
            default -> List.of("root", "deploy", "www");
        };
    }

    private static Set<String> ownedSystems(int appTeam) {
        return Set.of(SYSTEMS[appTeam % SYSTEMS.length], SYSTEMS[(appTeam + 5) % SYSTEMS.length]);
    }

    private static List<Identity> users(Random rnd) {
        List<Identity> out = new ArrayList<>(USERS);
        for (int i = 0; i < USERS; i++) {
            String user = String.format("u%04d", i);
            if (i % 10 == 9) {
                out.add(new Identity(user, "partners", Set.of(SUPPLIERS[rnd.nextInt(SUPPLIERS.length)]),
                        Set.of("operator")));
                continue;
            }
            Set<String> teams = new HashSet<>();
            teams.add(team(rnd));
            if (rnd.nextInt(10) < 3) {
                teams.add(team(rnd));
            }
            Set<String> roles = new HashSet<>();
            int r = rnd.nextInt(100);
            if (r < 3) {
                roles.add("auditor");
            } else {
                roles.add(r < 73 ? "operator" : "developer");
                if (rnd.nextInt(10) < 3) {
                    roles.add("developer");
                }
                if (rnd.nextInt(100) < 12) {
                    roles.add("approver");
                }
                if (teams.contains("dba")) {
                    roles.add("dba");
                }
                if (teams.contains("secops") && rnd.nextInt(5) == 0) {
                    roles.remove("developer");
                    roles.add("security-officer");
                }
            }
            out.add(new Identity(user, "employees", teams, roles));
        }
        return List.copyOf(out);
    }

    private static String team(Random rnd) {
        int t = rnd.nextInt(APP_TEAMS.length + OPS_TEAMS.length);
        return t < APP_TEAMS.length ? APP_TEAMS[t] : OPS_TEAMS[t - APP_TEAMS.length];
    }

    private static List<PolicyConfig> policies(Random rnd, List<TargetConfig> targets, List<Identity> users) {
        List<PolicyConfig> out = new ArrayList<>(POLICIES);
        Set<String> all = Set.of("shell", "exec", "sftp");
        // Application teams: standing in dev and staging, approval in production, for the two systems they own.
        for (int t = 0; t < APP_TEAMS.length; t++) {
            for (String system : ownedSystems(t)) {
                SubjectSelector team = subjects(List.of(), List.of(APP_TEAMS[t]), List.of(), List.of());
                for (String env : List.of("dev", "staging", "prod")) {
                    out.add(policy(APP_TEAMS[t] + "-" + system + "-" + env, team,
                            labels("system", system, "env", env), List.of(), all,
                            env.equals("prod") ? approval(1, false) : null, null, List.of()));
                }
            }
        }
        // Network operations per site and kind: read-only standing, admin with approval.
        SubjectSelector netops = subjects(List.of(), List.of("netops"), List.of(), List.of());
        for (String site : SITES) {
            for (String kind : List.of("router", "switch")) {
                out.add(policy("netops-" + site + "-" + kind + "-ro", netops, labels("site", site, "kind", kind),
                        List.of("readonly"), Set.of("shell", "exec"), null, null, List.of()));
                out.add(policy("netops-" + site + "-" + kind + "-admin", netops, labels("site", site, "kind", kind),
                        List.of("admin"), all, approval(1, false), null, List.of()));
            }
        }
        SubjectSelector secops = subjects(List.of(), List.of("secops"), List.of(), List.of());
        for (String site : SITES) {
            out.add(policy("secops-" + site + "-firewalls", secops, labels("site", site, "kind", "firewall"),
                    List.of("admin"), all, approval(2, true), null, List.of()));
        }
        out.add(policy("secops-firewalls-ro", secops, labels("kind", "firewall"), List.of("readonly"),
                Set.of("shell", "exec"), null, null, List.of()));
        SubjectSelector dba = subjects(List.of(), List.of("dba"), List.of("dba"), List.of());
        for (String system : SYSTEMS) {
            out.add(policy("dba-" + system + "-prod", dba, labels("kind", "database", "system", system, "env", "prod"),
                    List.of(), all, approval(1, false), null, List.of()));
        }
        out.add(policy("dba-staging", dba, labels("kind", "database", "env", "staging"), List.of(), all, null, null,
                List.of()));
        out.add(policy("dba-dev", dba, labels("kind", "database", "env", "dev"), List.of(), all, null, null,
                List.of()));
        SubjectSelector sre = subjects(List.of(), List.of("sre"), List.of(), List.of());
        for (String site : SITES) {
            out.add(policy("sre-" + site + "-prod", sre, labels("site", site, "env", "prod"), List.of(), all,
                    approval(1, false), null, List.of()));
        }
        out.add(policy("sre-staging", sre, labels("env", "staging"), List.of(), all, null, null, List.of()));
        out.add(policy("security-restricted", subjects(List.of(), List.of(), List.of("security-officer"), List.of()),
                new TargetSelector(List.of(), Map.of(), List.of(Classification.RESTRICTED)), List.of(), all,
                approval(2, false), new BreakGlassConfig(true, Duration.ofHours(1)), List.of()));
        // Suppliers: only their contract's targets, only in office hours; production needs approval.
        for (String supplier : SUPPLIERS) {
            SubjectSelector s = subjects(List.of(), List.of(supplier), List.of(), List.of("partners"));
            out.add(policy(supplier + "-contract", s, labels("contract", supplier), List.of("deploy", "root"),
                    Set.of("shell", "sftp"), approval(1, true), null, OFFICE_HOURS));
            out.add(policy(supplier + "-contract-staging", s, labels("contract", supplier, "env", "staging"),
                    List.of("deploy"), Set.of("shell", "sftp"), null, null, OFFICE_HOURS));
        }
        // Broad policies: many targets, so a decision weighs more of them.
        SubjectSelector operators = subjects(List.of(), List.of(), List.of("operator"), List.of("employees"));
        out.add(policy("operators-prod-readonly", operators, labels("env", "prod"), List.of("readonly"),
                Set.of("exec"), null, null, List.of()));
        out.add(policy("developers-dev", subjects(List.of(), List.of(), List.of("developer"), List.of()),
                labels("env", "dev"), List.of("deploy", "www"), all, null, null, List.of()));
        out.add(policy("sre-confidential", sre, new TargetSelector(List.of(), Map.of(),
                List.of(Classification.CONFIDENTIAL)), List.of("root", "admin", "postgres"), all, approval(1, false),
                null, List.of()));
        out.add(policy("monitoring-agents", operators, labels("system", "monitoring"), List.of(), Set.of("exec"),
                null, null, List.of()));
        out.add(policy("auditors-logging", subjects(List.of(), List.of(), List.of("auditor"), List.of()),
                labels("system", "logging"), List.of(), Set.of("shell"), null, null, List.of()));
        out.add(policy("support-public", subjects(List.of(), List.of("support-l1", "support-l2"), List.of(),
                List.of()), new TargetSelector(List.of(), Map.of(), List.of(Classification.PUBLIC)), List.of(),
                Set.of("shell", "exec"), null, null, List.of()));
        out.add(policy("support-l2-staging", subjects(List.of(), List.of("support-l2"), List.of(), List.of()),
                labels("env", "staging"), List.of(), all, null, null, List.of()));
        // The rest: named targets for one person or team (a migration, an on-call duty), half with approval.
        for (int n = 0; out.size() < POLICIES; n++) {
            Identity who = users.get(rnd.nextInt(users.size()));
            List<String> names = new ArrayList<>();
            for (int j = 0; j < 5; j++) {
                names.add(targets.get(rnd.nextInt(targets.size())).name());
            }
            SubjectSelector s = n % 3 == 0
                    ? subjects(List.of(), List.of(new TreeSet<>(who.teams()).first()), List.of(), List.of())
                    : subjects(List.of(who.user()), List.of(), List.of(), List.of());
            out.add(policy("named-" + n, s, new TargetSelector(names, Map.of(), List.of()), List.of(),
                    n % 2 == 0 ? Set.of("exec") : all, n % 2 == 0 ? null : approval(1, false), null, List.of()));
        }
        return List.copyOf(out);
    }

    private static SodConfig sod() {
        return new SodConfig(
                new SodConfig.ApproverIndependence(Set.of(Classification.RESTRICTED),
                        SodConfig.ApproverIndependence.TEAM),
                List.of(
                        new SodConfig.ExclusiveAccess("billing-vs-payments",
                                side(labels("system", "billing", "env", "prod")),
                                side(labels("system", "payments", "env", "prod"))),
                        new SodConfig.ExclusiveAccess("prod-db-vs-identity",
                                side(labels("kind", "database", "env", "prod")),
                                side(labels("system", "identity", "env", "prod"))),
                        new SodConfig.ExclusiveAccess("auditors-not-on-logging-prod",
                                new SodConfig.Side(new TargetSelector(List.of(), Map.of(), List.of()),
                                        List.of("auditor")),
                                side(labels("system", "logging", "env", "prod")))),
                List.of(new SodConfig.RoleConflict("auditor-vs-operator", List.of("auditor", "operator")),
                        new SodConfig.RoleConflict("security-vs-developer", List.of("security-officer", "developer"))),
                new SodConfig.Suppliers(List.of("partners"), "contract"));
    }

    private static SodConfig.Side side(TargetSelector targets) {
        return new SodConfig.Side(targets, List.of());
    }

    private static TargetSelector labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new TargetSelector(List.of(), m, List.of());
    }

    private static SubjectSelector subjects(List<String> users, List<String> teams, List<String> roles,
            List<String> realms) {
        return new SubjectSelector(users, teams, roles, realms);
    }

    private static ApprovalConfig approval(int count, boolean singleUse) {
        return new ApprovalConfig(true, List.of(APPROVERS), count, Duration.ofHours(4),
                ApprovalConfig.DEFAULT_PENDING_TIMEOUT, singleUse);
    }

    private static PolicyConfig policy(String name, SubjectSelector subjects, TargetSelector targets,
            List<String> accounts, Set<String> channels, ApprovalConfig approval, BreakGlassConfig breakGlass,
            List<WindowConfig> windows) {
        return new PolicyConfig(name, subjects, targets, accounts, channels, approval, breakGlass, windows);
    }
}
