package dev.portier.gateway.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/** Demo key pairs in OpenSSH format, made once and reused: private file 0600, public beside it. */
public final class DemoKeys {
    private DemoKeys() {
    }

    /** @return the public key line of {@code dir/name}, creating the pair when missing */
    public static String ensure(Path dir, String name) throws IOException {
        Path priv = dir.resolve(name);
        Path pub = dir.resolve(name + ".pub");
        if (Files.exists(priv) && Files.exists(pub)) {
            return Files.readString(pub).strip();
        }
        KeyPair kp;
        try {
            kp = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an ed25519 key: " + e.getMessage(), e);
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(priv);
        Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(priv, StandardOpenOption.WRITE)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, name + "@portier-demo", null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + priv + ": " + e.getMessage(), e);
        }
        String line = PublicKeyEntry.toString(kp.getPublic()) + " " + name + "@portier-demo";
        Files.writeString(pub, line + "\n");
        return line;
    }
}
