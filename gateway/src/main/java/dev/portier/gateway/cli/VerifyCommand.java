package dev.portier.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portier.access.grant.GrantSigner;
import dev.portier.gateway.Gateway;
import dev.portier.recorder.RecordingStore;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portier verify <id-or-file>}: checks the evidence a recording carries. Today that is the signed
 * statement of the grant the session ran under (ES256 JWS, checked against Portier's exported public key).
 * The recording's own tamper-evidence seal is not built yet, and this command says so rather than claim it.
 */
@Command(name = "verify", description = "Check a recording's evidence (the signed grant it ran under).")
final class VerifyCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    PortierCli parent;

    @Parameters(paramLabel = "<id-or-file>")
    String what;

    @Option(names = "--public-key", paramLabel = "FILE",
            description = "the grant-signing public key (JWK); default <data>/keys/" + Gateway.GRANT_PUBLIC_KEY_FILE)
    Path publicKey;

    @Override
    public Integer call() throws Exception {
        Path data = parent.dataDir();
        Path cast = Files.isRegularFile(Path.of(what)) ? Path.of(what) : castOf(data, what);
        JsonNode header;
        try (BufferedReader r = Files.newBufferedReader(cast, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            if (first == null) {
                System.out.println("TRUNCATED: " + cast + " is empty");
                return 1;
            }
            header = JSON.readTree(first);
        } catch (java.io.IOException e) {
            throw new PortierCli.CliException("cannot read " + cast + ": " + e.getMessage(), 1);
        }
        JsonNode portier = header.path("portier");
        String grant = portier.path("grant").asText(null);
        if (grant == null) {
            System.out.println("standing access: the session ran under a policy without approval ("
                    + portier.path("user").asText() + " on " + portier.path("target").asText() + "), no grant to check");
        } else {
            Path key = publicKey != null ? publicKey : data.resolve("keys").resolve(Gateway.GRANT_PUBLIC_KEY_FILE);
            if (!Files.exists(key)) {
                throw new PortierCli.CliException("no grant-signing public key at " + key + "; pass --public-key", 1);
            }
            Optional<JWTClaimsSet> claims = GrantSigner.verify(grant, Files.readString(key));
            if (claims.isEmpty()) {
                System.out.println("TAMPERED: the grant statement in " + cast + " does not verify with " + key);
                return 1;
            }
            JWTClaimsSet c = claims.get();
            boolean matches = c.getSubject().equals(portier.path("user").asText())
                    && c.getStringClaim("target").equals(portier.path("target").asText())
                    && c.getStringClaim("account").equals(portier.path("account").asText());
            if (!matches) {
                System.out.println("TAMPERED: the grant " + c.getJWTID() + " names " + c.getSubject() + " on "
                        + c.getStringClaim("target") + "/" + c.getStringClaim("account")
                        + ", not this recording's user and target");
                return 1;
            }
            System.out.println("grant " + c.getJWTID() + ": signature VALID; " + c.getSubject() + " on "
                    + c.getStringClaim("target") + "/" + c.getStringClaim("account") + " from "
                    + c.getNotBeforeTime().toInstant() + " to " + c.getExpirationTime().toInstant() + ", approved by "
                    + String.join(", ", c.getStringListClaim("approvers")) + ", reason: " + c.getStringClaim("reason")
                    + (c.getStringClaim("ticket") == null ? "" : ", ticket " + c.getStringClaim("ticket")));
        }
        System.out.println("note: the recording's own tamper-evidence seal (hash chain, signed checkpoints) is not"
                + " built yet; only the grant statement was checked");
        return 0;
    }

    private static Path castOf(Path data, String id) throws PortierCli.CliException {
        try (RecordingStore store = new RecordingStore(data.resolve("recordings"))) {
            if (store.find(id).isEmpty()) {
                throw new PortierCli.CliException("no recording or file " + id + "; run: portier recordings list", 1);
            }
            return store.castFile(id);
        }
    }
}
