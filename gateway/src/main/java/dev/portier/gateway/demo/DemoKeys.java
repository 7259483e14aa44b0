package dev.portier.gateway.demo;

import dev.portier.gateway.ssh.HostKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

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
        KeyPair kp = HostKeys.generate(priv, name + "@portier-demo");
        String line = PublicKeyEntry.toString(kp.getPublic()) + " " + name + "@portier-demo";
        Files.writeString(pub, line + "\n");
        return line;
    }
}
