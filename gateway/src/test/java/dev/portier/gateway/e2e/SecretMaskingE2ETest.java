package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.testsupport.Pty;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * With input recording on, what a user types at a real password prompt on the target never reaches
 * Portier's data directory. The prompts: {@code su} run by an unprivileged account (a real PAM
 * {@code Password:} prompt; sudo is not installed here and the sudoers file must not change), and a
 * {@code [sudo] password for} prompt printed by the shell's {@code read -s}, as sudo prints it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretMaskingE2ETest {
    private static final String SU_SECRET = "Tr0ub4dor-su-9a7c";
    private static final String SUDO_SECRET = "corr3ct-horse-sudo-51f2";

    @TempDir
    static Path tmp;

    PortierHarness h;

    @BeforeAll
    void start() throws Exception {
        h = new PortierHarness(tmp);
        h.start(h.yaml(h.sshd.hostKeyLine(), "", "") + "recording:\n  input: true\n");
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void secretsTypedAtPasswordPromptsAppearNowhereInTheDataDirectory() throws Exception {
        try (Pty pty = Pty.start(h.alice("srv-1").withArgs("-tt").sshCommandLine(), 100, 30)) {
            pty.sendLine("echo ready=$((40+2))");
            pty.expect("ready=42", Duration.ofSeconds(20));
            pty.sendLine("su -s /bin/sh nobody -c 'su -c true root'");
            pty.expect("Password:", Duration.ofSeconds(10));
            pty.sendLine(SU_SECRET);
            pty.expect("Authentication failure", Duration.ofSeconds(15));
            pty.sendLine("read -s -p \"$(printf '[sudo] passw%s for alice: ' ord)\" x; echo; echo len=${#x}");
            pty.expect("password for alice:", Duration.ofSeconds(10));
            pty.sendLine(SUDO_SECRET);
            pty.expect("len=" + SUDO_SECRET.length(), Duration.ofSeconds(10));
            pty.sendLine("echo after=ok");
            pty.expect("after=ok", Duration.ofSeconds(10));
            pty.sendLine("exit 0");
            pty.awaitExit(Duration.ofSeconds(15));
        }
        assertTrue(eventually(() -> h.auditLog().contains("\"type\":\"session.end\"")), "the session never ended");
        // Recordings are encrypted: look at the files and at what they decrypt to.
        String written = h.everythingWritten() + h.everythingRecorded();
        // Input is recorded (the command after the prompts is there), the secrets are not.
        assertTrue(written.contains("echo after=ok"), "input was not recorded at all");
        assertTrue(written.contains("[masked]"), "no masked line in the recording");
        assertFalse(written.contains(SU_SECRET), "the su password was written under the data directory");
        assertFalse(written.contains(SUDO_SECRET), "the sudo password was written under the data directory");
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }
}
