package dev.portier.access.policy;

import dev.portier.access.identity.Identity;
import dev.portier.config.AlgorithmsConfig;
import dev.portier.config.ApprovalConfig;
import dev.portier.config.Classification;
import dev.portier.config.HostPort;
import dev.portier.config.IdentityConfig;
import dev.portier.config.NotificationsConfig;
import dev.portier.config.PolicyConfig;
import dev.portier.config.PortierConfig;
import dev.portier.config.RecordingConfig;
import dev.portier.config.ServerConfig;
import dev.portier.config.SiemConfig;
import dev.portier.config.SodConfig;
import dev.portier.config.StorageConfig;
import dev.portier.config.SubjectSelector;
import dev.portier.config.TargetConfig;
import dev.portier.config.TargetSelector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small inventory and policy set built with the config records, shared by the policy tests. */
final class Fixtures {
    static final Identity ALICE = new Identity("alice", "employees", Set.of("netops"), Set.of("operator"));
    static final Identity DAVE = new Identity("dave", "partners", Set.of("acme"), Set.of("operator"));
    static final Identity SAM = new Identity("sam", "employees", Set.of(), Set.of("security-officer"));
    static final Identity EVE = new Identity("eve", "employees", Set.of("marketing"), Set.of());

    static final List<TargetConfig> TARGETS = List.of(
            target("rtr-bru-01", Classification.RESTRICTED, Map.of("site", "bru", "kind", "router"), "admin", "backup"),
            target("rtr-ams-01", Classification.CONFIDENTIAL, Map.of("site", "ams", "kind", "router"), "admin"),
            target("srv-web-01", Classification.INTERNAL, Map.of("kind", "server"), "root", "deploy", "www"),
            target("srv-db-01", Classification.INTERNAL, Map.of("kind", "database"), "root"),
            target("srv-app-01", Classification.INTERNAL, Map.of("kind", "server"), "root"),
            target("fw-bru-01", Classification.RESTRICTED, Map.of("site", "bru", "kind", "firewall"), "admin"),
            target("jump-01", Classification.INTERNAL, Map.of(), "guest"));

    static final List<PolicyConfig> POLICIES = List.of(
            policy("netops-routers", subjects(List.of(), List.of("netops"), List.of(), List.of()),
                    new TargetSelector(List.of(), Map.of("kind", "router"), List.of()),
                    List.of("admin"), Set.of("shell", "exec", "sftp"), true),
            policy("netops-bru-standing", subjects(List.of(), List.of("netops"), List.of(), List.of()),
                    new TargetSelector(List.of(), Map.of("kind", "router", "site", "bru"), List.of()),
                    List.of("admin", "backup"), Set.of("shell"), false),
            policy("web-deploy", subjects(List.of("alice"), List.of(), List.of(), List.of()),
                    new TargetSelector(List.of("srv-web-01"), Map.of(), List.of()),
                    List.of("deploy"), Set.of("exec"), false),
            policy("restricted-security", subjects(List.of(), List.of(), List.of("security-officer"), List.of()),
                    new TargetSelector(List.of(), Map.of(), List.of(Classification.RESTRICTED)),
                    List.of(), Set.of("shell"), false),
            policy("acme-servers", subjects(List.of(), List.of("acme"), List.of(), List.of("partners")),
                    new TargetSelector(List.of(), Map.of("kind", "server"), List.of()),
                    List.of("deploy"), Set.of("shell"), true),
            policy("employees-ops", subjects(List.of(), List.of(), List.of("operator"), List.of("employees")),
                    new TargetSelector(List.of("srv-web-01", "srv-db-01"), Map.of(), List.of()),
                    List.of("root"), Set.of("shell"), false),
            policy("partners-jump", subjects(List.of(), List.of(), List.of(), List.of("partners")),
                    new TargetSelector(List.of("jump-01"), Map.of(), List.of()),
                    List.of(), Set.of("shell"), false));

    private Fixtures() {
    }

    static PolicyEngine engine() {
        return new PolicyEngine(config(TARGETS, POLICIES));
    }

    static PortierConfig config(List<TargetConfig> targets, List<PolicyConfig> policies) {
        return new PortierConfig(null,
                new ServerConfig(Path.of("data"), ServerConfig.DEFAULT_SSH, ServerConfig.DEFAULT_HTTPS),
                new IdentityConfig(List.of()), targets, policies, RecordingConfig.DEFAULT, SodConfig.DEFAULT,
                NotificationsConfig.NONE, StorageConfig.EMBEDDED, SiemConfig.NONE);
    }

    static TargetConfig target(String name, Classification c, Map<String, String> labels, String... accounts) {
        return new TargetConfig(name, new HostPort("192.0.2.1", 22), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost",
                "netops", c, labels, List.of(accounts), AlgorithmsConfig.DEFAULT);
    }

    static SubjectSelector subjects(List<String> users, List<String> teams, List<String> roles, List<String> realms) {
        return new SubjectSelector(users, teams, roles, realms);
    }

    static PolicyConfig policy(String name, SubjectSelector s, TargetSelector t, List<String> accounts,
            Set<String> channels, boolean approval) {
        ApprovalConfig a = approval
                ? new ApprovalConfig(true, List.of(subjects(List.of(), List.of("security"), List.of(), List.of())), 1,
                        Duration.ofHours(4), ApprovalConfig.DEFAULT_PENDING_TIMEOUT, false)
                : null;
        return new PolicyConfig(name, s, t, accounts, channels, a, null, List.of());
    }

    static Decision decide(PolicyEngine engine, Identity id, String target, String account, ChannelKind kind) {
        return engine.decide(new AccessQuery(id, target, account, kind));
    }
}
