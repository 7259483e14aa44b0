package dev.portier.gateway.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Set;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * Portier's own SSH host key: ed25519, generated on first start under the data directory, created 0600
 * (never written first and restricted later), and reused so users' known_hosts stay valid.
 */
public final class HostKeys {
    public static final String FILE_NAME = "ssh_host_ed25519_key";

    private HostKeys() {
    }

    public static KeyPairProvider loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            create(file);
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new IOException(file + " is readable by others; run: chmod 600 " + file);
        }
        return new FileKeyPairProvider(file);
    }

    /** The public half in OpenSSH format, for the known_hosts line the demo prints. */
    public static String publicKeyLine(KeyPairProvider provider) throws IOException, GeneralSecurityException {
        for (KeyPair kp : provider.loadKeys(null)) {
            return PublicKeyEntry.toString(kp.getPublic());
        }
        throw new IOException("no host key");
    }

    private static void create(Path file) throws IOException {
        generate(file, "portier-host");
    }

    /**
     * Writes a new ed25519 key pair to {@code file} in OpenSSH format, created 0600 and moved into place
     * atomically, so no reader ever sees a partial or world-readable key.
     */
    public static KeyPair generate(Path file, String comment) throws IOException {
        KeyPair kp;
        try {
            kp = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an ed25519 host key: " + e.getMessage(), e);
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, comment, null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the host key: " + e.getMessage(), e);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return kp;
    }
}
