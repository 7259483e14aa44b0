package dev.portier.gateway.e2e;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code portier serve} in a JVM of its own, for tests that need a real separate process: a {@code kill -9}, or
 * a command-line tool beside a running gateway. {@link #close} stops it like an operator would (SIGTERM).
 */
final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private GatewayProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code serve --config cfg} and returns once it listens for SSH on {@code sshPort} and has said it
     * is ready (every service started, the start audited).
     */
    static GatewayProcess serve(Path cfg, int sshPort, Path log) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.portier.gateway.cli.PortierCli", "serve",
                "--config", cfg.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GatewayProcess gw = new GatewayProcess(p, log);
        try {
            gw.awaitPort(sshPort);
            gw.awaitReady();
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
        return gw;
    }

    Process process() {
        return process;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitReady() throws Exception {
        for (int i = 0; i < 300; i++) {
            if (log().contains("Portier is listening")) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the gateway exited: " + log());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway never said it was ready: " + log());
    }

    @SuppressWarnings("try") // the resource is held, not used
    private void awaitPort(int port) throws Exception {
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new AssertionError("the gateway exited: " + log());
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the gateway never listened: " + log());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
