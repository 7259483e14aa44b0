package dev.portier.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portier.access.grant.GrantSigner;
import dev.portier.gateway.Gateway;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.recorder.seal.RecordingVerifier;
import dev.portier.recorder.seal.Verdict;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portier verify <id-or-file>}: checks a recording's evidence offline. First its seal: the hash chain over
 * the cast bytes and the signed checkpoints ({@code <id>.chain}, see {@code docs/evidence.md}), which answers
 * VALID, TAMPERED (naming the first bad chunk and its time) or TRUNCATED (valid up to a time, then cut); then the
 * signed statement of the grant the session ran under. Exit status: 0 only when both hold; 1 TAMPERED (or a
 * forged grant); 3 TRUNCATED.
 */
@Command(name = "verify", description = "Check a recording's evidence: its signed hash chain and the grant it ran"
        + " under. Exit 0 only when VALID; 1 TAMPERED; 3 TRUNCATED.")
final class VerifyCommand implements Callable<Integer> {
    static final int TAMPERED = 1;
    static final int TRUNCATED = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_HEADER_BYTES = 1 << 20;

    @ParentCommand
    PortierCli parent;

    @Parameters(paramLabel = "<id-or-file>")
    String what;

    @Option(names = "--public-key", paramLabel = "FILE",
            description = "the grant-signing public key (JWK); default <data>/keys/" + Gateway.GRANT_PUBLIC_KEY_FILE)
    Path publicKey;

    @Option(names = "--evidence-key", paramLabel = "FILE",
            description = "the evidence public key (JWK, from portier keys export); default <data>/keys/"
                    + Gateway.EVIDENCE_PUBLIC_KEY_FILE)
    Path evidenceKey;

    @Override
    public Integer call() throws Exception {
        Path data = parent.dataDir();
        Path cast = Files.isRegularFile(Path.of(what)) ? Path.of(what) : castOf(data, what);
        ECKey key = evidenceKey(evidenceKey != null ? evidenceKey
                : data.resolve("keys").resolve(Gateway.EVIDENCE_PUBLIC_KEY_FILE));
        Verdict verdict;
        try {
            verdict = RecordingVerifier.verify(cast, RecordingVerifier.chainFileOf(cast), key);
        } catch (IOException e) {
            throw new PortierCli.CliException("cannot read " + cast + ": " + e.getMessage(), 1);
        }
        System.out.println(verdict + " (" + cast + ")");
        boolean grantOk = checkGrant(data, cast);
        if (verdict.status() == Verdict.Status.TAMPERED || !grantOk) {
            return TAMPERED;
        }
        return verdict.status() == Verdict.Status.TRUNCATED ? TRUNCATED : 0;
    }

    static ECKey evidenceKey(Path file) throws PortierCli.CliException {
        if (!Files.exists(file)) {
            throw new PortierCli.CliException("no evidence public key at " + file
                    + "; run: portier keys export, or pass --evidence-key", 1);
        }
        try {
            return EvidenceSigner.parsePublicJwk(Files.readString(file));
        } catch (IOException | ParseException e) {
            throw new PortierCli.CliException("cannot read the evidence public key " + file + ": " + e.getMessage(), 1);
        }
    }

    /** Prints what the grant statement says; false if it is forged or does not match the recording. */
    private boolean checkGrant(Path data, Path cast) throws Exception {
        JsonNode header;
        try {
            // The first line of either format names the grant in the clear; what follows may be binary.
            byte[] first = firstLine(cast);
            header = first.length == 0 ? null : JSON.readTree(first);
        } catch (IOException e) {
            header = null;
        }
        if (header == null) {
            System.out.println("grant: the recording has no readable header; no grant to check");
            return true;
        }
        JsonNode portier = header.path("portier");
        String grant = portier.path("grant").asText(null);
        if (grant == null) {
            System.out.println("standing access: the session ran under a policy without approval ("
                    + portier.path("user").asText() + " on " + portier.path("target").asText() + "), no grant to check");
            return true;
        }
        Path key = publicKey != null ? publicKey : data.resolve("keys").resolve(Gateway.GRANT_PUBLIC_KEY_FILE);
        if (!Files.exists(key)) {
            throw new PortierCli.CliException("no grant-signing public key at " + key + "; pass --public-key", 1);
        }
        Optional<JWTClaimsSet> claims = GrantSigner.verify(grant, Files.readString(key));
        if (claims.isEmpty()) {
            System.out.println("TAMPERED: the grant statement in " + cast + " does not verify with " + key);
            return false;
        }
        JWTClaimsSet c = claims.get();
        boolean matches = c.getSubject().equals(portier.path("user").asText())
                && c.getStringClaim("target").equals(portier.path("target").asText())
                && c.getStringClaim("account").equals(portier.path("account").asText());
        if (!matches) {
            System.out.println("TAMPERED: the grant " + c.getJWTID() + " names " + c.getSubject() + " on "
                    + c.getStringClaim("target") + "/" + c.getStringClaim("account")
                    + ", not this recording's user and target");
            return false;
        }
        System.out.println("grant " + c.getJWTID() + ": signature VALID; " + c.getSubject() + " on "
                + c.getStringClaim("target") + "/" + c.getStringClaim("account") + " from "
                + c.getNotBeforeTime().toInstant() + " to " + c.getExpirationTime().toInstant() + ", approved by "
                + String.join(", ", c.getStringListClaim("approvers")) + ", reason: " + c.getStringClaim("reason")
                + (c.getStringClaim("ticket") == null ? "" : ", ticket " + c.getStringClaim("ticket")));
        return true;
    }

    private static byte[] firstLine(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n' && line.size() < MAX_HEADER_BYTES; b = in.read()) {
                line.write(b);
            }
            return line.toByteArray();
        }
    }

    /** The recording's cast file, restored from the object store first if only that holds it. */
    private Path castOf(Path data, String id) throws PortierCli.CliException {
        try (RecordingStore store = RecordingsCommand.store(parent)) {
            if (store.find(id).isEmpty()) {
                throw new PortierCli.CliException("no recording or file " + id + "; run: portier recordings list", 1);
            }
            return store.castFile(id);
        } catch (java.io.UncheckedIOException e) {
            throw new PortierCli.CliException(e.getMessage(), 1);
        }
    }
}
