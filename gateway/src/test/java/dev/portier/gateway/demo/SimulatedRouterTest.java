package dev.portier.gateway.demo;

import static dev.portier.gateway.demo.RouterClients.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedRouterTest {

    private static final String USER = "admin";
    private static final String PASSWORD = "Lab-Pa55word!";

    @TempDir
    static Path dir;

    private static SimulatedRouter router;
    private static SshClient client;

    @BeforeAll
    static void startRouter() throws IOException {
        router = SimulatedRouter.start("rtr-lab-01", 0, dir.resolve("rtr-lab-01.key"), USER, PASSWORD);
        client = RouterClients.start(router);
    }

    @AfterAll
    static void stopRouter() throws IOException {
        client.stop();
        router.close();
    }

    @Test
    void execShowVersionExitsZero() throws IOException {
        try (ClientSession session = RouterClients.login(client, router, USER, PASSWORD)) {
            RouterClients.ExecResult result = RouterClients.exec(session, "show version");

            assertEquals(0, result.exit());
            assertTrue(result.stdout().contains("SimIOS Software"), result.stdout());
            assertTrue(result.stdout().contains("rtr-lab-01 uptime is"), result.stdout());
        }
    }

    @Test
    void execUnknownCommandExitsOneWithIosError() throws IOException {
        try (ClientSession session = RouterClients.login(client, router, USER, PASSWORD)) {
            RouterClients.ExecResult result = RouterClients.exec(session, "reload now");

            assertEquals(1, result.exit());
            assertEquals("% Invalid input detected at '^' marker.\n", result.stderr());
            assertEquals("", result.stdout());
        }
    }

    @Test
    void shellConfiguresHostnameAndExitsZero() throws IOException {
        try (ClientSession session = RouterClients.login(client, router, USER, PASSWORD);
                MinaTerminal terminal = MinaTerminal.open(session, true)) {
            terminal.expect("^rtr-lab-01>$", WAIT);
            terminal.send("configure terminal\r");
            terminal.expect("^rtr-lab-01\\(config\\)#", WAIT);
            terminal.send("hostname core1\r");
            terminal.expect("^core1\\(config\\)#", WAIT);
            terminal.send("end\r");
            terminal.expect("^core1>", WAIT);
            terminal.send("exit\r");

            assertEquals(0, terminal.awaitExit(WAIT));
        }
    }

    @Test
    void shellEchoesTypedCharactersWithCrLf() throws IOException {
        try (ClientSession session = RouterClients.login(client, router, USER, PASSWORD);
                MinaTerminal terminal = MinaTerminal.open(session, true)) {
            terminal.expect("rtr-lab-01>", WAIT);
            terminal.send("show clx\u007fock\r");

            String output = terminal.expect("rtr-lab-01>", WAIT);
            assertTrue(output.startsWith("show clx\b \bock\r\n*"), output);
            assertTrue(output.matches("(?s).*UTC \\w{3} \\w{3} \\d+ \\d{4}\r\n.*"), output);
        }
    }

    @Test
    void enableAsksForPasswordWithoutEchoing() throws IOException {
        try (ClientSession session = RouterClients.login(client, router, USER, PASSWORD);
                MinaTerminal terminal = MinaTerminal.open(session, true)) {
            terminal.expect("rtr-lab-01>", WAIT);
            terminal.send("enable\r");
            terminal.expect("Password: $", WAIT);
            terminal.send("whatever\r");

            String afterPassword = terminal.expect("rtr-lab-01#", WAIT);
            assertFalse(afterPassword.contains("whatever"), afterPassword);
        }
    }

    @Test
    void shellWithoutPtyReadsScriptedLines() throws IOException {
        try (ClientSession session = RouterClients.login(client, router, USER, PASSWORD);
                MinaTerminal terminal = MinaTerminal.open(session, false)) {
            terminal.send("show running-config\nexit\n");

            assertEquals(0, terminal.awaitExit(WAIT));
            assertTrue(terminal.output().contains("hostname rtr-lab-01\n"), terminal.output());
            assertFalse(terminal.output().contains("\r"), terminal.output());
        }
    }

    @Test
    void ctrlDOnEmptyLineEndsSession() throws IOException {
        try (ClientSession session = RouterClients.login(client, router, USER, PASSWORD);
                MinaTerminal terminal = MinaTerminal.open(session, true)) {
            terminal.expect("rtr-lab-01>", WAIT);
            terminal.send("\u0004");

            assertEquals(0, terminal.awaitExit(WAIT));
        }
    }

    @Test
    void keyboardInteractiveAsksPasswordWithoutEcho() throws IOException {
        List<String> prompts = new ArrayList<>();
        List<Boolean> echoes = new ArrayList<>();
        UserInteraction person = new UserInteraction() {
            @Override
            public String[] interactive(ClientSession session, String name, String instruction, String lang,
                    String[] prompt, boolean[] echo) {
                for (int i = 0; i < prompt.length; i++) {
                    prompts.add(prompt[i]);
                    echoes.add(echo[i]);
                }
                return new String[] {PASSWORD};
            }

            @Override
            public String getUpdatedPassword(ClientSession session, String prompt, String lang) {
                return null;
            }
        };
        SshClient kbdClient = RouterClients.start(router, List.of(UserAuthKeyboardInteractiveFactory.INSTANCE), person);
        try (ClientSession session = kbdClient.connect(USER, router.host(), router.port()).verify(WAIT).getSession()) {
            session.auth().verify(WAIT);

            assertEquals(List.of("Password: "), prompts);
            assertEquals(List.of(false), echoes);
            assertEquals(0, RouterClients.exec(session, "show clock").exit());
        } finally {
            kbdClient.stop();
        }
    }

    @Test
    void wrongPasswordIsRefused() throws IOException {
        try (ClientSession session = client.connect(USER, router.host(), router.port()).verify(WAIT).getSession()) {
            session.addPasswordIdentity("not-" + PASSWORD);

            assertThrows(SshException.class, () -> session.auth().verify(WAIT));
        }
    }

    @Test
    void rightPasswordForOtherUserIsRefused() throws IOException {
        try (ClientSession session = client.connect("root", router.host(), router.port()).verify(WAIT).getSession()) {
            session.addPasswordIdentity(PASSWORD);

            assertThrows(SshException.class, () -> session.auth().verify(WAIT));
        }
    }

    @Test
    void publicKeyLoginIsNotOffered() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("EC").generateKeyPair();
        SshClient keyClient = RouterClients.start(router, List.of(UserAuthPublicKeyFactory.INSTANCE), null);
        try (ClientSession session = keyClient.connect(USER, router.host(), router.port()).verify(WAIT).getSession()) {
            session.addPublicKeyIdentity(key);

            assertThrows(SshException.class, () -> session.auth().verify(WAIT));
        } finally {
            keyClient.stop();
        }
    }

    @Test
    void hostKeyIsEd25519AndPersistsAcrossRestarts() throws IOException {
        Path keyFile = dir.resolve("restart.key");
        String first;
        try (SimulatedRouter once = SimulatedRouter.start("r1", 0, keyFile, USER, PASSWORD)) {
            first = once.hostKeyLine();
        }
        try (SimulatedRouter again = SimulatedRouter.start("r1", 0, keyFile, USER, PASSWORD)) {
            assertEquals(first, again.hostKeyLine());
        }
        assertTrue(first.matches("ssh-ed25519 [A-Za-z0-9+/=]+"), first);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertFalse(Files.readString(keyFile).contains(PASSWORD));
    }

    @Test
    void invalidHostnameIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulatedRouter.start("bad name", 0, null, USER, PASSWORD));
        assertTrue(e.getMessage().contains("invalid router hostname"), e.getMessage());
    }
}
