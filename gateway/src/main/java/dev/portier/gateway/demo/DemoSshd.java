package dev.portier.gateway.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on loopback for the demo, run from its own config: only public-key logins with a
 * key whose private half lives in Portier's vault.
 */
public final class DemoSshd implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Process process;
    private final int port;
    private final String hostKeyLine;
    private final String user;

    private DemoSshd(Process process, int port, String hostKeyLine, String user) {
        this.process = process;
        this.port = port;
        this.hostKeyLine = hostKeyLine;
        this.user = user;
    }

    public static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    /** Starts sshd in {@code dir}, trusting {@code authorizedKeyLine} for the current OS user. */
    public static DemoSshd start(Path dir, String authorizedKeyLine) throws IOException, InterruptedException {
        Path abs = dir.toAbsolutePath();
        Files.createDirectories(abs);
        Path hostKey = abs.resolve("ssh_host_ed25519_key");
        if (!Files.exists(hostKey)) {
            run(List.of("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "demo-sshd", "-f",
                    hostKey.toString()));
        }
        Files.writeString(abs.resolve("authorized_keys"), authorizedKeyLine + "\n");
        Files.createDirectories(Path.of("/run/sshd"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path cfg = abs.resolve("sshd_config");
        Files.write(cfg, List.of(
                "ListenAddress 127.0.0.1", "Port " + port, "HostKey " + hostKey,
                "AuthorizedKeysFile " + abs.resolve("authorized_keys"), "PidFile " + abs.resolve("sshd.pid"),
                "StrictModes no", "UsePAM no", "PermitRootLogin prohibit-password", "PasswordAuthentication no",
                "KbdInteractiveAuthentication no", "AllowTcpForwarding no", "X11Forwarding no",
                "AllowAgentForwarding no", "Subsystem sftp internal-sftp", "LogLevel INFO"));
        Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(abs.resolve("sshd.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                String pub = Files.readString(abs.resolve("ssh_host_ed25519_key.pub")).strip();
                String[] parts = pub.split("\\s+");
                return new DemoSshd(p, port, parts[0] + " " + parts[1], System.getProperty("user.name"));
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IOException("sshd exited; see " + abs.resolve("sshd.log"));
                }
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IOException("sshd did not start listening; see " + abs.resolve("sshd.log"));
    }

    static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
    }

    public int port() {
        return port;
    }

    public String hostKeyLine() {
        return hostKeyLine;
    }

    public String user() {
        return user;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
