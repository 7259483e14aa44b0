package dev.portier.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.testsupport.OpenSshClient;
import dev.portier.testsupport.Pty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated router as a person with the stock OpenSSH client sees it. */
class SimulatedRouterOpenSshTest {

    private static final String PASSWORD = "Lab-Pa55word!";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static SimulatedRouter router;
    private static OpenSshClient ssh;

    @BeforeAll
    static void startRouter() throws IOException {
        router = SimulatedRouter.start("rtr-lab-02", 0, dir.resolve("host.key"), "admin", PASSWORD);
        ssh = OpenSshClient.to(router.host(), router.port(), "admin", null);
    }

    @AfterAll
    static void stopRouter() throws IOException {
        router.close();
    }

    @Test
    void execShowVersionExitsZero() {
        OpenSshClient.Result result = ssh.withPassword(PASSWORD).ssh("show version");

        assertEquals(0, result.exit(), result.stderr());
        assertTrue(result.stdout().contains("rtr-lab-02 uptime is"), result.stdout());
    }

    @Test
    void execUnknownCommandExitsOne() {
        OpenSshClient.Result result = ssh.withPassword(PASSWORD).ssh("write erase");

        assertEquals(1, result.exit());
        assertTrue(result.stderr().contains("% Invalid input detected at '^' marker."), result.stderr());
    }

    @Test
    void passwordMethodAloneWorks() {
        OpenSshClient.Result result = ssh.withPassword(PASSWORD)
                .withOption("PreferredAuthentications=password").ssh("show clock");

        assertEquals(0, result.exit(), result.stderr());
    }

    @Test
    void wrongPasswordIsRefused() {
        OpenSshClient.Result result = ssh.withPassword("guess").ssh("show version");

        assertEquals(255, result.exit());
        assertTrue(result.stderr().contains("Permission denied"), result.stderr());
    }

    @Test
    void pinnedHostKeyLineIsWhatTheClientSees() throws IOException {
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + router.port() + " " + router.hostKeyLine() + "\n");

        OpenSshClient.Result result = ssh.withPassword(PASSWORD)
                .withOption("StrictHostKeyChecking=yes")
                .withOption("UserKnownHostsFile=" + knownHosts)
                .ssh("show clock");

        assertEquals(0, result.exit(), result.stderr());
    }

    @Test
    void interactiveSessionInRealTerminal() {
        try (Pty pty = Pty.start(ssh.withOption("BatchMode=no").withArgs("-tt").sshCommandLine())) {
            pty.expect("Password: $", WAIT);
            pty.sendLine(PASSWORD);
            pty.expect("^rtr-lab-02>$", WAIT);

            pty.send("shw\u007fow clock").key("Up", "Left").sendLine("");
            String clock = pty.expect("^rtr-lab-02>$", WAIT);
            assertTrue(clock.contains("show clock\n*"), clock);

            pty.send("reload in 5").key("C-c");
            pty.expect("reload in 5\\^C\nrtr-lab-02>$", WAIT);

            pty.sendLine("enable");
            pty.expect("Password: $", WAIT);
            pty.sendLine("anything");
            String privileged = pty.expect("^rtr-lab-02#$", WAIT);
            assertFalse(privileged.contains("anything"), privileged);

            pty.sendLine("conf t");
            pty.expect("^rtr-lab-02\\(config\\)#$", WAIT);
            pty.sendLine("hostname core1");
            pty.expect("^core1\\(config\\)#$", WAIT);
            pty.key("C-z");
            pty.expect("^core1#$", WAIT);
            pty.sendLine("exit");

            assertEquals(0, pty.awaitExit(WAIT));
        }
    }
}
