package dev.portier.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * {@code server:} where Portier keeps its data and where it listens.
 *
 * @param publicUrl the HTTPS base URL browsers reach Portier at ({@code https://portier.example.net:8443}), for the
 *                  portal's sign-in redirect; null: derived from {@code https.listen}
 */
public record ServerConfig(Path dataDir, HostPort sshListen, HostPort httpsListen, URI publicUrl) {
    /** Kept relative as written; resolved against the working directory when used. */
    public static final Path DEFAULT_DATA_DIR = Path.of("./data");
    public static final HostPort DEFAULT_SSH = new HostPort("0.0.0.0", 2222);
    public static final HostPort DEFAULT_HTTPS = new HostPort("0.0.0.0", 8443);

    /** Without a public URL. */
    public ServerConfig(Path dataDir, HostPort sshListen, HostPort httpsListen) {
        this(dataDir, sshListen, httpsListen, null);
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(dir, sshListen, httpsListen, publicUrl);
    }
}
