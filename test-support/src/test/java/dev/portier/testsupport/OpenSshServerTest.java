package dev.portier.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSshServerTest {

    @TempDir
    Path tmp;

    private Path key;
    private OpenSshServer sshd;

    @BeforeEach
    void startServer() {
        key = Keys.ed25519(tmp, "tester");
        sshd = OpenSshServer.builder().authorize(Keys.publicKeyLine(key)).start();
    }

    @AfterEach
    void stopServer() {
        sshd.close();
    }

    @Test
    void authorizedKeyRunsCommand() {
        OpenSshClient.Result result = OpenSshClient.to(sshd, key).ssh("echo hi");

        assertEquals(0, result.exit(), result.stderr() + sshd.log());
        assertEquals("hi\n", result.stdout());
    }

    @Test
    void execExitStatusReachesClient() {
        assertEquals(3, OpenSshClient.to(sshd, key).ssh("exit 3").exit());
    }

    @Test
    void unknownKeyIsRefused() {
        Path stranger = Keys.rsa(tmp, "stranger");

        OpenSshClient.Result result = OpenSshClient.to(sshd, stranger).ssh("echo hi");

        assertEquals(255, result.exit());
        assertTrue(result.stderr().contains("Permission denied"), result.stderr());
    }

    @Test
    void hostKeyLineIsTheServedKey() {
        String line = sshd.hostKeyLine();

        assertTrue(line.matches("ssh-ed25519 [A-Za-z0-9+/=]+"), line);
        OpenSshClient.Result scan = OpenSshClient.to(sshd, key).ssh("true");
        assertEquals(0, scan.exit(), scan.stderr());
        assertTrue(sshd.log().contains("Accepted publickey for " + sshd.user()), sshd.log());
    }

    @Test
    void closeStopsListening() {
        int port = sshd.port();
        sshd.close();

        OpenSshClient.Result result = OpenSshClient.to(OpenSshServer.HOST, port, sshd.user(), key).ssh("true");

        assertEquals(255, result.exit());
        assertTrue(result.stderr().contains("Connection refused"), result.stderr());
    }
}
