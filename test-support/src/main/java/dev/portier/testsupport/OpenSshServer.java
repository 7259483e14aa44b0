package dev.portier.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSSH {@code sshd} on a free loopback port, with its own directory, config, host key and
 * {@code authorized_keys}; the account to log in to is the OS user running the tests ({@link #user()}).
 *
 * <pre>{@code
 * try (OpenSshServer sshd = OpenSshServer.builder().authorize(Keys.publicKeyLine(key)).start()) {
 *     var result = OpenSshClient.to(sshd, key).ssh("echo hi");
 * }
 * }</pre>
 */
public final class OpenSshServer implements AutoCloseable {

    /** The loopback address the server listens on. */
    public static final String HOST = "127.0.0.1";

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
    private static final int BIND_ATTEMPTS = 3;

    private final Path dir;
    private final int port;
    private final Process process;
    private final Thread shutdownHook;
    private String finalLog;

    private OpenSshServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.shutdownHook = new Thread(() -> ProcessRunner.kill(process), "sshd-shutdown-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a server that accepts the given public key lines. */
    public static OpenSshServer start(String... authorizedKeyLines) {
        Builder builder = builder();
        for (String line : authorizedKeyLines) {
            builder.authorize(line);
        }
        return builder.start();
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** The OS account tests log in to: the user running the JVM. */
    public String user() {
        return System.getProperty("user.name");
    }

    /** The server's host key as {@code type base64}, ready to pin. */
    public String hostKeyLine() {
        try {
            String[] fields = Files.readString(dir.resolve("ssh_host_ed25519_key.pub")).strip().split("\\s+");
            return fields[0] + " " + fields[1];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host key of sshd on port " + port, e);
        }
    }

    /** The directory holding config, keys and log; removed by {@link #close()}. */
    public Path dir() {
        return dir;
    }

    /** Everything sshd wrote so far (LogLevel VERBOSE): which key was accepted, why a login failed. */
    public synchronized String log() {
        return finalLog != null ? finalLog : readLog(dir);
    }

    /** Stops sshd and every session process it started, then removes its directory. */
    @Override
    public synchronized void close() {
        if (finalLog != null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                ProcessRunner.kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessRunner.kill(process);
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        finalLog = readLog(dir);
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
        deleteRecursively(dir);
    }

    /** Collects keys and extra config, then starts the server. */
    public static final class Builder {

        private final List<String> authorizedKeys = new ArrayList<>();
        private final List<String> trustedUserCaKeys = new ArrayList<>();
        private final List<String> extraConfig = new ArrayList<>();

        private Builder() {
        }

        /** Lets the holder of this key ({@code type base64 [comment]}, optionally with options) log in. */
        public Builder authorize(String publicKeyLine) {
            authorizedKeys.add(publicKeyLine.strip());
            return this;
        }

        /** Accepts user certificates signed by this CA key ({@code TrustedUserCAKeys}). */
        public Builder trustUserCa(String caPublicKeyLine) {
            trustedUserCaKeys.add(caPublicKeyLine.strip());
            return this;
        }

        /**
         * Adds an sshd_config line, e.g. {@code "ClientAliveInterval 1"}. Extra lines come before the defaults,
         * so they override them (sshd keeps the first value of a keyword); {@code Match} blocks are not supported.
         */
        public Builder configLine(String line) {
            extraConfig.add(line.strip());
            return this;
        }

        public OpenSshServer start() {
            try {
                Files.createDirectories(PRIVSEP_DIR);
                Path dir = Files.createTempDirectory("portier-sshd-").toAbsolutePath();
                Keys.ed25519(dir, "ssh_host_ed25519_key");
                Files.write(dir.resolve("authorized_keys"), authorizedKeys);
                Files.write(dir.resolve("trusted_user_ca_keys"), trustedUserCaKeys);
                IllegalStateException lastFailure = null;
                for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
                    int port = FreePort.find();
                    Path config = dir.resolve("sshd_config");
                    Files.write(config, config(dir, port));
                    Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("sshd.log").toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                            .start();
                    try {
                        awaitBanner(process, port, dir);
                        return new OpenSshServer(dir, port, process);
                    } catch (IllegalStateException e) {
                        ProcessRunner.kill(process);
                        lastFailure = e;
                        if (!readLog(dir).contains("Address already in use")) {
                            break;
                        }
                    }
                }
                deleteRecursively(dir);
                throw lastFailure;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start sshd", e);
            }
        }

        private List<String> config(Path dir, int port) {
            List<String> lines = new ArrayList<>(extraConfig);
            lines.addAll(List.of(
                    "ListenAddress " + HOST,
                    "Port " + port,
                    "HostKey " + dir.resolve("ssh_host_ed25519_key"),
                    "PidFile " + dir.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                    "TrustedUserCAKeys " + dir.resolve("trusted_user_ca_keys"),
                    "StrictModes no",
                    "UsePAM no",
                    "PermitRootLogin prohibit-password",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "Subsystem sftp internal-sftp",
                    "AllowTcpForwarding no",
                    "AllowAgentForwarding no",
                    "X11Forwarding no",
                    "PrintMotd no",
                    "PrintLastLog no",
                    "LogLevel VERBOSE",
                    "MaxStartups 200",
                    "MaxSessions 50"));
            return lines;
        }
    }

    /** Waits until sshd answers with its version banner, proof that it listens and accepts. */
    private static void awaitBanner(Process process, int port, Path dir) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited with status " + process.exitValue()
                        + " before listening on port " + port + "; its log:\n" + readLog(dir));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 1000);
                socket.setSoTimeout(2000);
                String banner = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                if (banner != null && banner.startsWith("SSH-")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet: poll again
            }
            sleep(50);
        }
        throw new IllegalStateException("sshd did not accept connections on port " + port + " within "
                + STARTUP_TIMEOUT.toSeconds() + " s; its log:\n" + readLog(dir));
    }

    private static String readLog(Path dir) {
        try {
            Path log = dir.resolve("sshd.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sshd log in " + dir, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for sshd", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
