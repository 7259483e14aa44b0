package dev.portier.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.gateway.Gateway;
import dev.portier.vault.Vault;
import dev.portier.vault.VaultException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portier keys export}: prints Portier's public keys as JWKs, read from the vault (created there on first
 * use, like the gateway does): {@code evidence} verifies recordings and the audit log, {@code grant} the signed
 * grants recordings carry. Auditors keep these to verify evidence offline.
 */
@Command(name = "keys", description = "Portier's signing keys.", subcommands = {KeysCommand.Export.class})
final class KeysCommand {
    @ParentCommand
    PortierCli parent;

    @Command(name = "export", description = "Print the public keys (JWK): {\"evidence\": ..., \"grant\": ...}.")
    static final class Export implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @ParentCommand
        KeysCommand keys;

        @Override
        public Integer call() throws Exception {
            Path data = keys.parent.dataDir();
            Vault vault = VaultCommand.open(keys.parent);
            ObjectNode out = JSON.createObjectNode();
            try {
                out.set("evidence", JSON.readTree(Gateway.evidenceSigner(vault, data).publicJwk()));
                out.set("grant", JSON.readTree(Gateway.grantSigner(vault, data).publicJwk()));
            } catch (VaultException | IOException e) {
                throw new PortierCli.CliException("cannot read the signing keys: " + e.getMessage(), 1);
            }
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return 0;
        }
    }
}
