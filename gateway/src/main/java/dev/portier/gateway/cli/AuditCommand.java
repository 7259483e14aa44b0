package dev.portier.gateway.cli;

import dev.portier.access.audit.AuditVerification;
import dev.portier.access.audit.FileAuditLog;
import dev.portier.gateway.Gateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code portier audit verify}: verifies the audit log's hash chain and signed checkpoints. */
@Command(name = "audit", description = "Audit log tools.", subcommands = {AuditCommand.Verify.class})
final class AuditCommand {
    @ParentCommand
    PortierCli parent;

    @Command(name = "verify", description = "Check the audit log's hash chain and signed checkpoints; exit 0 only"
            + " when VALID; 1 TAMPERED; 3 TRUNCATED (cut, or still being written).")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;

        @Option(names = "--evidence-key", paramLabel = "FILE",
                description = "the evidence public key (JWK, from portier keys export); default <data>/keys/"
                        + Gateway.EVIDENCE_PUBLIC_KEY_FILE)
        Path evidenceKey;

        @Override
        public Integer call() throws Exception {
            Path data = audit.parent.dataDir();
            Path file = data.resolve("audit").resolve(FileAuditLog.FILE_NAME);
            if (!Files.exists(file)) {
                throw new PortierCli.CliException("no audit log at " + file, 1);
            }
            AuditVerification v = FileAuditLog.verify(file, VerifyCommand.evidenceKey(evidenceKey != null
                    ? evidenceKey : data.resolve("keys").resolve(Gateway.EVIDENCE_PUBLIC_KEY_FILE)));
            switch (v.status()) {
                case VALID:
                    System.out.println("VALID: " + v.events() + " events, hash chain intact, signed up to "
                            + v.signedUpTo() + " (" + file + ")");
                    return 0;
                case TRUNCATED:
                    System.out.println("TRUNCATED: " + v.firstProblem() + " (" + file + ")");
                    return VerifyCommand.TRUNCATED;
                default:
                    System.out.println("TAMPERED: " + v.firstProblem() + " (" + file + ")");
                    return VerifyCommand.TAMPERED;
            }
        }
    }
}
