package dev.portier.gateway.cli;

import dev.portier.config.ConfigLoader;
import dev.portier.config.PortierConfig;
import dev.portier.gateway.Gateway;
import dev.portier.gateway.demo.DemoKeys;
import dev.portier.gateway.demo.DemoSshd;
import dev.portier.gateway.demo.SimulatedRouter;
import dev.portier.vault.Credential;
import dev.portier.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portier demo}: the gateway on embedded defaults with demo users and demo targets (a simulated
 * router, and a real OpenSSH server where sshd is installed), all on loopback. Prints the ssh commands that
 * work; Ctrl-C stops everything.
 */
@Command(name = "demo", description = "Run Portier with demo users and demo targets on loopback.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    PortierCli parent;

    @Option(names = "--port", defaultValue = "2222", description = "SSH port of the gateway (default 2222)")
    int port;

    @Option(names = "--https-port", defaultValue = "8443", description = "HTTPS port of the REST API (default 8443)")
    int httpsPort;

    @Override
    public Integer call() throws Exception {
        Path data = parent.data != null ? parent.data : Path.of("data");
        Path demo = data.resolve("demo");
        Files.createDirectories(demo);
        String alice = DemoKeys.ensure(demo, "alice");
        String bob = DemoKeys.ensure(demo, "bob");
        String carol = DemoKeys.ensure(demo, "carol");
        String dave = DemoKeys.ensure(demo, "dave");
        Vault vault = Vault.open(data);

        List<AutoCloseable> running = new ArrayList<>();
        String routerPassword = randomSecret();
        SimulatedRouter router = SimulatedRouter.start("rtr-demo-01", 0, demo.resolve("router_host_key"), "admin",
                routerPassword);
        running.add(router);
        vault.put("rtr-demo-01", "admin", new Credential.Password(routerPassword));

        StringBuilder targets = new StringBuilder();
        targets.append(target("rtr-demo-01", router.port(), router.hostKeyLine(), "router, contract: acme", "admin"));
        DemoSshd sshd = null;
        if (DemoSshd.available()) {
            Path keyDir = demo.resolve("sshd");
            Files.createDirectories(keyDir);
            String portierKey = DemoKeys.ensure(keyDir, "portier-to-target");
            sshd = DemoSshd.start(keyDir, portierKey);
            running.add(sshd);
            vault.put("srv-demo-01", sshd.user(),
                    new Credential.PrivateKey(Files.readString(keyDir.resolve("portier-to-target"))));
            // The vault now holds the key; the plain copy goes, as it would in production.
            Files.delete(keyDir.resolve("portier-to-target"));
            Files.delete(keyDir.resolve("portier-to-target.pub"));
            targets.append(target("srv-demo-01", sshd.port(), sshd.hostKeyLine(), "server", sshd.user()));
        }
        String yaml = """
                # Written by ./portier demo; regenerated at each start.
                server:
                  dataDir: %s
                  ssh: { listen: "127.0.0.1:%d" }
                  https: { listen: "127.0.0.1:%d" }
                identity:
                  local:
                    users:
                      - { name: alice, teams: [netops], roles: [operator], sshKeys: ["%s"] }
                      - { name: bob, teams: [security], roles: [approver], sshKeys: ["%s"] }
                      - { name: carol, teams: [audit], roles: [auditor], sshKeys: ["%s"] }
                      - { name: dave, realm: partners, teams: [acme], roles: [operator], sshKeys: ["%s"] }
                targets:
                %spolicies:
                  - name: netops-routers
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: router } }
                    channels: [shell, exec]
                  - name: netops-servers
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: server } }
                    channels: [shell, exec, sftp]
                  - name: acme-routers
                    subjects: { teams: [acme], realms: [partners] }
                    targets: { labels: { kind: router } }
                    channels: [shell]
                    approval: { required: true, approvers: [{ teams: [security] }], count: 1, maxDuration: 2h }
                """.formatted(data, port, httpsPort, alice, bob, carol, dave, targets);
        Path cfgFile = demo.resolve("portier-demo.yaml");
        Files.writeString(cfgFile, yaml);
        PortierConfig cfg = ConfigLoader.load(cfgFile);
        Gateway gw = Gateway.start(cfg);
        running.add(0, gw);
        String knownHosts = writeKnownHosts(demo, gw.hostKeyLine());
        printWelcome(demo, knownHosts, sshd != null, sshd == null ? null : sshd.user());
        ServeCommand.runUntilStopped(() -> {
            for (AutoCloseable c : running) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("portier: demo shutdown: " + e.getMessage());
                }
            }
        });
        return 0;
    }

    private static String target(String name, int port, String hostKey, String kind, String account) {
        return """
                  - name: %s
                    address: "127.0.0.1:%d"
                    hostKey: "%s"
                    owner: netops
                    classification: internal
                    labels: { kind: %s, site: demo }
                    accounts: [%s]
                """.formatted(name, port, hostKey, kind, account);
    }

    private String writeKnownHosts(Path demo, String hostKey) throws Exception {
        Path kh = demo.resolve("known_hosts");
        Files.writeString(kh, "[localhost]:" + port + " " + hostKey + "\n[127.0.0.1]:" + port + " " + hostKey + "\n");
        return kh.toString();
    }

    private void printWelcome(Path demo, String knownHosts, boolean realTarget, String sshdUser) {
        String base = "ssh -p " + port + " -i " + demo.resolve("%s") + " -o UserKnownHostsFile=" + knownHosts
                + " -o IdentitiesOnly=yes ";
        StringBuilder sb = new StringBuilder();
        sb.append("\nPortier demo is running: SSH on 127.0.0.1:").append(port).append(", data in ")
                .append(demo.getParent()).append(".\n");
        sb.append("Users (private keys in ").append(demo).append("): alice (netops operator), bob (approver),")
                .append(" carol (auditor), dave (supplier, partners realm).\n\n");
        sb.append("Try:\n");
        sb.append("  ").append(base.formatted("alice")).append("alice@localhost                  # menu\n");
        sb.append("  ").append(base.formatted("alice")).append("alice:rtr-demo-01@localhost      # simulated router\n");
        if (realTarget) {
            sb.append("  ").append(base.formatted("alice")).append("alice:srv-demo-01@localhost      # real OpenSSH")
                    .append(" server, as ").append(sshdUser).append("\n");
            sb.append("  ").append(base.formatted("alice")).append("alice:srv-demo-01@localhost uname -a\n");
        }
        sb.append("  ").append(base.formatted("alice")).append("alice@localhost targets\n");
        sb.append("\nTime-boxed access (dave is a supplier; bob approves):\n");
        sb.append("  ").append(base.formatted("dave")).append("dave:rtr-demo-01@localhost       # no grant yet: asks")
                .append(" for a reason, files the request, waits\n");
        sb.append("  ").append(base.formatted("bob")).append("bob@localhost requests --pending\n");
        sb.append("  ").append(base.formatted("bob")).append("bob@localhost approve <request-id>\n");
        sb.append("\nREST API on https://127.0.0.1:").append(httpsPort).append("/api/v1 (self-signed certificate in ")
                .append(demo.getParent()).append("/tls/); a token: ").append(base.formatted("bob"))
                .append("bob@localhost token\n");
        sb.append("\nThen: ./portier recordings list --data ").append(demo.getParent())
                .append("   and   ./portier export <id> --data ").append(demo.getParent()).append("\n");
        sb.append("Ctrl-C stops the demo.\n");
        System.out.println(sb);
    }

    private static String randomSecret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
