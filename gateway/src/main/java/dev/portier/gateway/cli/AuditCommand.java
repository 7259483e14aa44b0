package dev.portier.gateway.cli;

import dev.portier.access.audit.AuditVerification;
import dev.portier.access.audit.FileAuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code portier audit verify}: recomputes the audit log's hash chain. */
@Command(name = "audit", description = "Audit log tools.", subcommands = {AuditCommand.Verify.class})
final class AuditCommand {
    @ParentCommand
    PortierCli parent;

    @Command(name = "verify", description = "Check the audit log's hash chain; exit 0 only when intact.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;

        @Override
        public Integer call() throws Exception {
            Path file = audit.parent.dataDir().resolve("audit").resolve(FileAuditLog.FILE_NAME);
            if (!Files.exists(file)) {
                throw new PortierCli.CliException("no audit log at " + file, 1);
            }
            AuditVerification v = FileAuditLog.verify(file);
            if (v.valid()) {
                System.out.println("VALID: " + v.events() + " events, hash chain intact (" + file + ")");
                return 0;
            }
            System.out.println("TAMPERED: " + v.firstProblem() + " (" + file + ")");
            return 1;
        }
    }
}
