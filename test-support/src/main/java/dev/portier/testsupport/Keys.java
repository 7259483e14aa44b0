package dev.portier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Unencrypted SSH key pairs made by the real {@code ssh-keygen}, as users make them. */
public final class Keys {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Keys() {
    }

    /** Writes {@code dir/name} and {@code dir/name.pub} (ed25519, comment {@code name}); returns the private key. */
    public static Path ed25519(Path dir, String name) {
        return generate(dir, name, List.of("-t", "ed25519"));
    }

    /** Writes {@code dir/name} and {@code dir/name.pub} (RSA 3072, comment {@code name}); returns the private key. */
    public static Path rsa(Path dir, String name) {
        return generate(dir, name, List.of("-t", "rsa", "-b", "3072"));
    }

    /** The OpenSSH public key line ({@code type base64 comment}) of the pair of {@code privateKey}. */
    public static String publicKeyLine(Path privateKey) {
        try {
            return Files.readString(privateKey.resolveSibling(privateKey.getFileName() + ".pub")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the public key of " + privateKey, e);
        }
    }

    private static Path generate(Path dir, String name, List<String> typeArgs) {
        Path key = dir.toAbsolutePath().resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q"));
        command.addAll(typeArgs);
        command.addAll(List.of("-N", "", "-C", name, "-f", key.toString()));
        OpenSshClient.Result result = ProcessRunner.run(command, TIMEOUT);
        if (result.exit() != 0) {
            throw new IllegalStateException("ssh-keygen failed for " + key + ": " + result.stderr());
        }
        return key;
    }
}
