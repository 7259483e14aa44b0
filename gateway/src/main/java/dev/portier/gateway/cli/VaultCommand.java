package dev.portier.gateway.cli;

import dev.portier.vault.Credential;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultEntry;
import dev.portier.vault.VaultException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code portier vault}: target credentials, stored encrypted; secrets never pass on the command line. */
@Command(name = "vault", description = "Manage target credentials.",
        subcommands = {VaultCommand.Put.class, VaultCommand.ListEntries.class, VaultCommand.Remove.class})
final class VaultCommand {
    @ParentCommand
    PortierCli parent;

    static String[] split(String ref) throws PortierCli.CliException {
        int slash = ref.indexOf('/');
        if (slash <= 0 || slash == ref.length() - 1 || ref.indexOf('/', slash + 1) >= 0) {
            throw new PortierCli.CliException("expected <target>/<account>, got '" + ref + "'", 2);
        }
        return new String[] {ref.substring(0, slash), ref.substring(slash + 1)};
    }

    static Vault open(PortierCli cli) throws PortierCli.CliException {
        try {
            Path data = cli.dataDir();
            Files.createDirectories(data);
            return Vault.open(data);
        } catch (VaultException | IOException e) {
            throw new PortierCli.CliException(e.getMessage(), 1);
        }
    }

    @Command(name = "put", description = "Store the credential Portier uses for <target>/<account>.")
    static final class Put implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;

        @Parameters(paramLabel = "<target>/<account>")
        String ref;

        static final class Source {
            @picocli.CommandLine.Option(names = "--password-stdin", required = true,
                    description = "read the password from standard input")
            boolean passwordStdin;

            @picocli.CommandLine.Option(names = "--private-key", required = true, paramLabel = "FILE",
                    description = "an unencrypted private key file (OpenSSH or PEM)")
            Path privateKey;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Override
        public Integer call() throws Exception {
            String[] ta = split(ref);
            Credential c;
            if (source.passwordStdin) {
                String pw = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                pw = pw.endsWith("\r\n") ? pw.substring(0, pw.length() - 2)
                        : pw.endsWith("\n") ? pw.substring(0, pw.length() - 1) : pw;
                if (pw.isEmpty()) {
                    throw new PortierCli.CliException("no password on standard input", 2);
                }
                c = new Credential.Password(pw);
            } else {
                if (!Files.isReadable(source.privateKey)) {
                    throw new PortierCli.CliException("cannot read " + source.privateKey, 2);
                }
                String pem = Files.readString(source.privateKey, StandardCharsets.UTF_8);
                if (!pem.contains("PRIVATE KEY")) {
                    throw new PortierCli.CliException(source.privateKey + " does not look like a private key", 2);
                }
                c = new Credential.PrivateKey(pem);
            }
            try {
                open(vault.parent).put(ta[0], ta[1], c);
            } catch (VaultException e) {
                throw new PortierCli.CliException(e.getMessage(), 1);
            }
            if (vault.parent.loadConfig().target(ta[0]).isEmpty()) {
                System.err.println("portier: note: no target named " + ta[0] + " in the configuration yet");
            }
            System.out.println("stored " + c.kind() + " for " + ta[0] + "/" + ta[1]);
            return 0;
        }
    }

    @Command(name = "list", description = "List stored credentials (never their values).")
    static final class ListEntries implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;

        @Override
        public Integer call() throws Exception {
            try {
                for (VaultEntry e : open(vault.parent).list()) {
                    System.out.printf("%s/%s\t%s\t%s%n", e.target(), e.account(), e.kind(), e.updated());
                }
            } catch (VaultException e) {
                throw new PortierCli.CliException(e.getMessage(), 1);
            }
            return 0;
        }
    }

    @Command(name = "rm", description = "Remove the credential of <target>/<account>.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;

        @Parameters(paramLabel = "<target>/<account>")
        String ref;

        @Override
        public Integer call() throws Exception {
            String[] ta = split(ref);
            try {
                if (!open(vault.parent).remove(ta[0], ta[1])) {
                    throw new PortierCli.CliException("no credential stored for " + ref, 1);
                }
            } catch (VaultException e) {
                throw new PortierCli.CliException(e.getMessage(), 1);
            }
            System.out.println("removed " + ref);
            return 0;
        }
    }
}
