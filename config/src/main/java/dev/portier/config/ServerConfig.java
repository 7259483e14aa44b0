package dev.portier.config;

import java.nio.file.Path;

/** {@code server:} where Portier keeps its data and where it listens. */
public record ServerConfig(Path dataDir, HostPort sshListen, HostPort httpsListen) {
    /** Kept relative as written; resolved against the working directory when used. */
    public static final Path DEFAULT_DATA_DIR = Path.of("./data");
    public static final HostPort DEFAULT_SSH = new HostPort("0.0.0.0", 2222);
    public static final HostPort DEFAULT_HTTPS = new HostPort("0.0.0.0", 8443);

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(dir, sshListen, httpsListen);
    }
}
