package dev.portier.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RouterCliTest {

    private static final Instant BOOT = Instant.parse("2026-03-02T08:00:00Z");
    private static final Clock NOW = Clock.fixed(BOOT.plus(Duration.ofMinutes(1563)), ZoneOffset.UTC);

    private final RouterCli cli = new RouterCli("rtr-bru-01", BOOT, NOW, true);

    @Test
    void startsInUserModePrompt() {
        assertEquals("rtr-bru-01>", cli.prompt());
    }

    @Test
    void enableAsksPasswordThenPrivilegedPrompt() {
        assertEquals(RouterCli.Action.ASK_ENABLE_PASSWORD, cli.execute("enable").action());
        cli.enable();
        assertEquals("rtr-bru-01#", cli.prompt());
        assertEquals(RouterCli.Action.NONE, cli.execute("disable").action());
        assertEquals("rtr-bru-01>", cli.prompt());
    }

    @Test
    void configureTerminalHostnameAndEnd() {
        assertTrue(cli.execute("configure terminal").output().startsWith("Enter configuration commands"));
        assertEquals("rtr-bru-01(config)#", cli.prompt());
        cli.execute("hostname core1");
        assertEquals("core1(config)#", cli.prompt());
        cli.execute("end");
        assertEquals("core1>", cli.prompt());
    }

    @Test
    void abbreviationsWork() {
        cli.execute("conf t");
        assertEquals("rtr-bru-01(config)#", cli.prompt());
        assertTrue(cli.execute("do sh ver").output().contains("SimIOS"));
        cli.execute("ex");
        assertTrue(cli.execute("sh ip int br").output().contains("GigabitEthernet0/0"));
    }

    @Test
    void unknownCommandPointsCaretAtBadWord() {
        RouterCli.Reply reply = cli.execute("show foo");

        assertTrue(reply.failed());
        assertEquals(" ".repeat("rtr-bru-01>show ".length()) + "^\n% Invalid input detected at '^' marker.\n\n",
                reply.output());
    }

    @Test
    void execModeReportsInvalidInputWithoutCaret() {
        RouterCli exec = new RouterCli("r", BOOT, NOW, false);

        assertEquals("% Invalid input detected at '^' marker.\n", exec.execute("bogus").output());
    }

    @Test
    void ambiguousAndIncompleteCommands() {
        cli.execute("configure terminal");
        assertEquals("% Ambiguous command:  \"e\"\n\n", cli.execute("e").output());
        assertEquals("% Incomplete command.\n\n", cli.execute("hostname").output());
    }

    @Test
    void illegalHostnameIsRefused() {
        cli.execute("configure terminal");

        RouterCli.Reply reply = cli.execute("hostname bad_name");

        assertTrue(reply.failed());
        assertEquals("rtr-bru-01(config)#", cli.prompt());
    }

    @Test
    void exitAndLogoutAtTopLevelClose() {
        assertEquals(RouterCli.Action.CLOSE, cli.execute("exit").action());
        assertEquals(RouterCli.Action.CLOSE, cli.execute("logout").action());
    }

    @Test
    void exitInConfigModeReturnsToExec() {
        cli.execute("configure terminal");
        assertEquals(RouterCli.Action.NONE, cli.execute("exit").action());
        assertEquals("rtr-bru-01>", cli.prompt());
    }

    @Test
    void questionMarkAndHelpListCommands() {
        String help = cli.execute("?").output();
        assertTrue(help.contains("show"), help);
        assertTrue(help.contains("configure"), help);
        assertEquals(help, cli.execute("help").output());
        String showHelp = cli.execute("show ?").output();
        assertTrue(showHelp.contains("running-config"), showHelp);
        assertFalse(showHelp.contains("configure"), showHelp);
    }

    @Test
    void runningConfigNamesHostnameAndHoldsNoSecret() {
        cli.execute("conf t");
        cli.execute("hostname edge-7");
        cli.execute("end");

        String config = cli.execute("show running-config").output();

        assertTrue(config.contains("\nhostname edge-7\n"), config);
        for (String word : new String[] {"password", "secret", "key-string", "community", "username"}) {
            assertFalse(config.toLowerCase().contains(word), word + " in:\n" + config);
        }
    }

    @Test
    void versionShowsUptimeAndClockShowsTime() {
        assertTrue(cli.execute("show version").output().contains("rtr-bru-01 uptime is 1 days, 2 hours, 3 minutes"));
        assertEquals("*10:03:00.000 UTC Tue Mar 3 2026\n", cli.execute("show clock").output());
    }

    @Test
    void emptyLineDoesNothing() {
        assertEquals(new RouterCli.Reply("", false, RouterCli.Action.NONE), cli.execute("   "));
    }
}
