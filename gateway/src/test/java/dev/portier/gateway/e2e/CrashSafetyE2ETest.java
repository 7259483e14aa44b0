package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.config.ConfigLoader;
import dev.portier.gateway.Gateway;
import dev.portier.testsupport.Pty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a real gateway process during a session, driven through the real OpenSSH client: the
 * recording (encrypted) verifies TRUNCATED, decrypts to the output up to (at most) a second before the kill, and
 * the restart marks the session interrupted in the audit log.
 */
class CrashSafetyE2ETest {
    @TempDir
    static Path tmp;

    @Test
    void killDashNineLeavesATruncatedRecordingWithTheLastSecondsAndARestartSaysSo() throws Exception {
        try (PortierHarness h = new PortierHarness(tmp)) {
            Path cfg = tmp.resolve("portier.yaml");
            Files.writeString(cfg, h.yaml(h.sshd.hostKeyLine(), "", ""));
            try (GatewayProcess gw = GatewayProcess.serve(cfg, h.port, tmp.resolve("gateway.log"))) {
                long killedAtNanosFromEpoch;
                try (Pty pty = Pty.start(h.alice("srv-1").withArgs("-tt").sshCommandLine(), 100, 30)) {
                    pty.sendLine("while true; do echo tick-$(date +%s%N); sleep 0.1; done");
                    pty.expect("tick-\\d{19}", Duration.ofSeconds(20));
                    Thread.sleep(3000);
                    gw.process().destroyForcibly(); // SIGKILL: no shutdown hook, no final flush
                    killedAtNanosFromEpoch = System.currentTimeMillis() * 1_000_000L;
                    gw.process().waitFor();
                }
                Path cast = onlyCast(h.data.resolve("recordings"));
                assertFalse(Files.readString(cast, StandardCharsets.ISO_8859_1).contains("tick-"),
                        "the recording is encrypted at rest");
                // Every complete chunk decrypts: the export holds the output up to the cut.
                String[] out = new String[1];
                String id = cast.getFileName().toString().replace(".cast", "");
                assertEquals(0, runCli(out, "export", id, "--data", h.data.toString()), out[0]);
                long lastTick = lastTick(out[0]);
                long lagMs = (killedAtNanosFromEpoch - lastTick) / 1_000_000L;
                assertTrue(lagMs <= 1000, "the recording ends " + lagMs + " ms before the kill");

                int status = runCli(out, "verify", cast.toString(), "--data", h.data.toString());
                assertEquals(3, status, out[0]);
                assertTrue(out[0].contains("TRUNCATED"), out[0]);
            }
            try (Gateway restarted = Gateway.start(ConfigLoader.load(cfg))) {
                String audit = h.auditLog();
                assertTrue(audit.contains("\"type\":\"session.interrupted\""), "the restart audits the interruption");
                assertTrue(restarted.context().recordings().list().stream()
                        .anyMatch(r -> r.status().equals("interrupted")));
            }
        }
    }

    private static Path onlyCast(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> casts = files.filter(p -> p.toString().endsWith(".cast")).toList();
            assertEquals(1, casts.size(), casts.toString());
            return casts.get(0);
        }
    }

    private static long lastTick(String cast) {
        Matcher m = Pattern.compile("tick-(\\d{19})").matcher(cast);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        assertTrue(last > 0, "no tick recorded");
        return last;
    }

    private static int runCli(String[] out, String... args) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return dev.portier.gateway.cli.PortierCli.run(args);
        } finally {
            System.setOut(old);
            out[0] = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
