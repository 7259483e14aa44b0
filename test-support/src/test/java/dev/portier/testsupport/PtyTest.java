package dev.portier.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PtyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void interactiveSshShellInTerminal() {
        Path key = Keys.ed25519(tmp, "tester");
        try (OpenSshServer sshd = OpenSshServer.start(Keys.publicKeyLine(key));
                Pty pty = Pty.start(OpenSshClient.to(sshd, key).withArgs("-tt").sshCommandLine("PS1='test$ ' sh"))) {
            pty.expect("test\\$ $", WAIT);
            pty.sendLine("echo $((40 + 2))");
            pty.expect("^42$", WAIT);
            pty.sendLine("stty size");
            pty.expect("^40 120$", WAIT);

            pty.resize(100, 30);
            pty.sendLine("stty size");
            pty.expect("^30 100$", WAIT);

            pty.sendLine("exit 5");
            assertEquals(5, pty.awaitExit(WAIT));
        }
    }

    @Test
    void lineEditingKeysReachProgram() {
        try (Pty pty = Pty.start(List.of("sh", "-c", "read line; echo \"got [$line]\""))) {
            pty.send("abX\u007fc").key("Enter");

            assertTrue(pty.expect("got \\[.*\\]", WAIT).contains("got [abc]"), pty.screen());
            assertEquals(0, pty.awaitExit(WAIT));
        }
    }
}
