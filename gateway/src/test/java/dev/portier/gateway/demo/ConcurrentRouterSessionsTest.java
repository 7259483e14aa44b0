package dev.portier.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.Test;

class ConcurrentRouterSessionsTest {

    private static final int SESSIONS = 100;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void hundredShellsOpenAtOnceAllWorkAndExitZero() throws IOException {
        try (SimulatedRouter router = SimulatedRouter.start("rtr-load", 0, null, "admin", "pw")) {
            SshClient client = RouterClients.start(router);
            List<ClientSession> sessions = new ArrayList<>();
            List<MinaTerminal> terminals = new ArrayList<>();
            try {
                for (int i = 0; i < SESSIONS; i++) {
                    ClientSession session = RouterClients.login(client, router, "admin", "pw");
                    sessions.add(session);
                    terminals.add(MinaTerminal.open(session, true));
                }
                for (MinaTerminal terminal : terminals) {
                    terminal.expect("rtr-load>", WAIT);
                    terminal.send("show clock\r");
                }
                for (MinaTerminal terminal : terminals) {
                    terminal.expect("UTC .*\r\nrtr-load>", WAIT);
                    terminal.send("exit\r");
                }
                for (MinaTerminal terminal : terminals) {
                    assertEquals(0, terminal.awaitExit(WAIT));
                }
            } finally {
                for (ClientSession session : sessions) {
                    session.close(true);
                }
                client.stop();
            }
        }
    }
}
