package dev.portier.gateway.cli;

import dev.portier.access.audit.AuditEvent;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.config.LocalUser;
import dev.portier.config.PortierConfig;
import dev.portier.gateway.siem.PseudonymResolver;
import dev.portier.gateway.siem.Pseudonymizer;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portier pseudonym resolve <p-...>}: maps a SIEM pseudonym back to the user for an auditor. Every lookup,
 * found or not, is written to the audit log first ({@code pseudonym.resolved}); when that is impossible (the log
 * is held by a running gateway, or unwritable) nothing is resolved.
 */
@Command(name = "pseudonym", description = "SIEM pseudonyms.", subcommands = {PseudonymCommand.Resolve.class})
final class PseudonymCommand {
    @ParentCommand
    PortierCli parent;

    @Command(name = "resolve", description = "Print the user behind a SIEM pseudonym; the lookup is audited.")
    static final class Resolve implements Callable<Integer> {
        @ParentCommand
        PseudonymCommand command;

        @Parameters(paramLabel = "<pseudonym>", description = "p- and 16 hex digits, as in the SIEM")
        String pseudonym;

        @Option(names = "--as", paramLabel = "AUDITOR",
                description = "who asks, recorded as the actor (default: the operating-system user)")
        String as;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why, recorded in the audit event")
        String reason;

        @Override
        public Integer call() throws Exception {
            if (!PseudonymResolver.wellFormed(pseudonym)) {
                throw new PortierCli.CliException("'" + pseudonym + "' is not a pseudonym; expected p- and 16 hex"
                        + " digits, e.g. p-3f2a9c0d1e4b5a67", 2);
            }
            PortierConfig config = command.parent.loadConfig();
            Path data = config.server().dataDir();
            byte[] key;
            try {
                key = Vault.open(data).systemSecret(Pseudonymizer.KEY_NAME).orElseThrow(() -> new PortierCli.CliException(
                        "no pseudonym key in the vault under " + data + "; pseudonymisation was never enabled there", 1));
            } catch (VaultException e) {
                throw new PortierCli.CliException(e.getMessage(), 1);
            }
            Path auditDir = data.resolve("audit");
            Optional<String> user;
            try {
                user = new PseudonymResolver(key).resolve(pseudonym,
                        config.identity().localUsers().stream().map(LocalUser::name).toList(),
                        auditDir.resolve(FileAuditLog.FILE_NAME));
            } catch (IOException e) {
                throw new PortierCli.CliException("cannot read the audit log: " + e.getMessage(), 1);
            }
            record(auditDir, user);
            if (user.isEmpty()) {
                throw new PortierCli.CliException("no known user has the pseudonym " + pseudonym
                        + "; check the data directory (--data) and the pseudonym", 1);
            }
            System.out.println(user.get());
            return 0;
        }

        private void record(Path auditDir, Optional<String> user) throws PortierCli.CliException {
            String osUser = System.getProperty("user.name");
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("pseudonym", pseudonym);
            user.ifPresent(u -> details.put("user", u));
            details.put("osUser", osUser);
            CliAudit.record(auditDir.getParent(), new AuditEvent(null, "pseudonym.resolved", as != null ? as : osUser,
                    null, null, null, user.isPresent() ? "allow" : "deny",
                    reason != null ? reason : user.isPresent() ? "resolved" : "no known user matches", details),
                    "nothing was resolved");
        }
    }
}
