package dev.portier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslog receiver on a loopback port: {@code imtcp} (octet-counted framing is accepted by default) writing
 * every message to {@link #received()} as {@code MSGID STRUCTURED-DATA MSG}, one per line. It can be stopped and
 * started again on the same port, to play a SIEM outage.
 *
 * <pre>{@code
 * try (Rsyslog siem = Rsyslog.start(dir)) {
 *     ... send to 127.0.0.1:siem.port() ...
 *     ... poll siem.lines() until the messages are there ...
 * }
 * }</pre>
 */
public final class Rsyslog implements AutoCloseable {
    public static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final int port;
    private Process process;

    private Rsyslog(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** True when rsyslogd is installed (Debian package {@code rsyslog}). */
    public static boolean installed() {
        return Files.isExecutable(RSYSLOGD);
    }

    /** Writes the configuration under {@code dir} and starts rsyslogd on a free loopback port. */
    public static Rsyslog start(Path dir) {
        Rsyslog r = new Rsyslog(dir, FreePort.find());
        try {
            Files.createDirectories(dir.resolve("work"));
            Files.writeString(dir.resolve("rsyslog.conf"), String.join("\n",
                    "$MaxMessageSize 64k",
                    "global(workDirectory=\"" + dir.resolve("work") + "\")",
                    "module(load=\"imtcp\")",
                    "template(name=\"portier\" type=\"string\" string=\"%msgid% %structured-data% %msg%\\n\")",
                    "input(type=\"imtcp\" port=\"" + r.port + "\" address=\"127.0.0.1\")",
                    "*.* action(type=\"omfile\" file=\"" + r.received() + "\" template=\"portier\")",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the rsyslog configuration under " + dir, e);
        }
        r.startAgain();
        return r;
    }

    public int port() {
        return port;
    }

    /** The file of received messages. */
    public Path received() {
        return dir.resolve("received.log");
    }

    /** The lines received so far. */
    public List<String> lines() {
        try {
            return Files.exists(received()) ? Files.readAllLines(received(), StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts rsyslogd (again) on the same port and waits until it accepts connections. */
    public void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("rsyslogd is already running");
        }
        try {
            process = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                    "-i", dir.resolve("rsyslogd.pid").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.out").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + RSYSLOGD, e);
        }
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rsyslogd exited with " + process.exitValue() + ": " + output());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                sleep(50);
            }
        }
        throw new IllegalStateException("rsyslogd did not listen on port " + port + " within "
                + STARTUP_TIMEOUT.toSeconds() + " s: " + output());
    }

    /** Stops rsyslogd with SIGTERM, as a service manager would, and waits for it to exit. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                ProcessRunner.kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** What rsyslogd printed, for failure messages. */
    public String output() {
        try {
            Path out = dir.resolve("rsyslogd.out");
            return Files.exists(out) ? Files.readString(out) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
