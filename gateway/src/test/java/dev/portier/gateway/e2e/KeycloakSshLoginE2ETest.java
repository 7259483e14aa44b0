package dev.portier.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portier.gateway.keycloak.TestRealms;
import dev.portier.testsupport.Keys;
import dev.portier.testsupport.OpenSshClient;
import dev.portier.testsupport.Pty;
import dev.portier.testsupport.keycloak.Browser;
import dev.portier.testsupport.keycloak.Keycloak;
import dev.portier.testsupport.keycloak.KeycloakTokens.Reply;
import dev.portier.vault.Credential;
import dev.portier.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSH login of Keycloak users against the real Keycloak, the real OpenSSH client and a real sshd target: the device
 * sign-in completed by the test acting as the person at a browser (password, OTP computed now, consent) while
 * {@code ssh} waits at the keyboard-interactive prompt in a terminal; keys registered in Keycloak; realms that allow
 * device login only; and the refusals (another user's sign-in, a denied consent, an expired code).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakSshLoginE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOGIN = Duration.ofSeconds(30);
    private static final Pattern SIGN_IN = Pattern.compile("Sign in at (\\S+) then press Enter: ");
    @TempDir
    static Path tmp;
    private final Keycloak kc = Keycloak.shared();
    private PortierHarness h;

    @BeforeAll
    void start() throws Exception {
        h = new PortierHarness(tmp.resolve("main"));
        h.start(config(h, "portier-device"));
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** Employees sign in through a client with a consent page; keys read from Keycloak live 2 s. */
    private String config(PortierHarness harness, String employeesClient) throws Exception {
        Vault vault = Vault.open(harness.data);
        vault.put("keycloak", "employees-admin", new Credential.Password(TestRealms.EMPLOYEES_ADMIN_SECRET));
        vault.put("keycloak", "partners-admin", new Credential.Password(TestRealms.PARTNERS_ADMIN_SECRET));
        String targetKey = Files.readString(harness.targetKey);
        vault.put("lab-acme", harness.sshd.user(), new Credential.PrivateKey(targetKey));
        vault.put("lab-globex", harness.sshd.user(), new Credential.PrivateKey(targetKey));
        return """
                server:
                  dataDir: %s
                  ssh: { listen: "127.0.0.1:%d" }
                  https: { listen: "127.0.0.1:%d" }
                identity:
                  local:
                    users:
                      - { name: alice, teams: [netops], roles: [operator], sshKeys: ["%s"] }
                  keycloak:
                    url: "%s"
                    sshKeyTtl: 2s
                    leavers: { pollInterval: 3s }
                    admin: { realm: employees, clientId: portier-admin, clientSecret: "vault:keycloak/employees-admin" }
                    realms:
                      - { name: employees, clientId: %s, sshAuth: [publickey, device] }
                      - name: partners
                        clientId: portier
                        sshAuth: [device]
                        admin: { clientId: portier-admin, clientSecret: "vault:keycloak/partners-admin" }
                targets:
                  - { name: srv-1, address: "127.0.0.1:%d", hostKey: "%s", owner: netops, classification: internal,
                      labels: { kind: server }, accounts: [%s] }
                  - { name: lab-acme, address: "127.0.0.1:%d", hostKey: "%s", classification: internal,
                      labels: { kind: lab, contract: acme }, accounts: [%s] }
                  - { name: lab-globex, address: "127.0.0.1:%d", hostKey: "%s", classification: internal,
                      labels: { kind: lab, contract: globex }, accounts: [%s] }
                policies:
                  - { name: netops-servers, subjects: { teams: [netops] }, targets: { labels: { kind: server } },
                      channels: [shell, exec] }
                  - { name: partner-labs, subjects: { teams: [acme, globex] }, targets: { labels: { kind: lab } },
                      channels: [shell, exec] }
                """.formatted(harness.data, harness.port, harness.httpsPort, Keys.publicKeyLine(harness.aliceKey),
                kc.url(), employeesClient,
                harness.sshd.port(), harness.sshd.hostKeyLine(), harness.sshd.user(),
                harness.sshd.port(), harness.sshd.hostKeyLine(), harness.sshd.user(),
                harness.sshd.port(), harness.sshd.hostKeyLine(), harness.sshd.user());
    }

    /** The real ssh in a terminal, offering only keyboard-interactive, with the instruction shown (LogLevel INFO). */
    private static Pty deviceLogin(PortierHarness harness, String login, String... command) {
        return Pty.start(OpenSshClient.to("127.0.0.1", harness.port, login, null).withOption("BatchMode=no")
                .withOption("PreferredAuthentications=keyboard-interactive").withOption("LogLevel=INFO")
                .withOption("NumberOfPasswordPrompts=1").sshCommandLine(command));
    }

    /** Waits for the prompt and answers the complete verification URL it names. */
    private static String verificationUrl(Pty pty) {
        Matcher m = SIGN_IN.matcher(pty.expect(SIGN_IN.pattern(), LOGIN));
        assertTrue(m.find(), pty.screen());
        return m.group(1);
    }

    private String lastTrail = "";

    private Browser.Page signIn(String url, TestRealms.User who, Browser.Consent consent) {
        Browser browser = new Browser();
        try {
            return browser.signIn(url, who.name(), who.password(), who::totp, consent);
        } catch (RuntimeException e) {
            throw new AssertionError("the browser failed: " + e + "\n" + browser.trail(), e);
        } finally {
            lastTrail = browser.trail();
        }
    }

    /** Like {@link Pty#expect}, telling what the browser saw when it fails. */
    private String expectAfterSignIn(Pty pty, String regex) {
        try {
            return pty.expect(regex, LOGIN);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nthe browser saw:\n" + lastTrail, e);
        }
    }

    private static List<JsonNode> audit(PortierHarness harness, String type) throws Exception {
        return harness.auditLog().lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(n -> n.path("type").asText().equals(type)).toList();
    }

    @Test
    void deviceSignInWithPasswordAndOtpRunsACommandOnTheTarget() throws Exception {
        try (Pty pty = deviceLogin(h, "kate:srv-1", "echo", "through-portier-$((6*7))")) {
            String url = verificationUrl(pty);
            String screen = pty.screen();
            Matcher code = Pattern.compile("enter the code ([A-Z0-9-]+)").matcher(screen);
            assertTrue(code.find(), screen);
            assertTrue(url.startsWith(kc.url() + "/realms/employees/device") && url.contains(code.group(1)), screen);
            assertTrue(screen.contains("To log in as kate, sign in to Keycloak realm employees"), screen);

            Browser.Page done = signIn(url, TestRealms.KATE, Browser.Consent.APPROVE);
            assertFalse(done.text().toLowerCase().contains("error"), done.text());
            pty.sendLine("");
            expectAfterSignIn(pty, "through-portier-42");
            assertEquals(0, pty.awaitExit(LOGIN), pty.screen());
        }
        JsonNode ok = audit(h, "auth.success").stream().filter(n -> n.path("actor").asText().equals("kate")
                && n.path("method").asText().equals("device")).findFirst()
                .orElseThrow(() -> new AssertionError(h.auditLog()));
        assertEquals("device", ok.path("reason").asText(), ok.toString());
        assertEquals("employees", ok.path("realm").asText(), ok.toString());
        assertTrue(audit(h, "session.start").stream().anyMatch(n -> n.path("actor").asText().equals("kate")
                && n.path("target").asText().equals("srv-1")), h.auditLog());
    }

    @Test
    void signInByAnotherUserIsRefused() throws Exception {
        try (Pty pty = deviceLogin(h, "carl", "whoami")) {
            String url = verificationUrl(pty);
            signIn(url, TestRealms.KATE, Browser.Consent.APPROVE);
            pty.sendLine("");
            expectAfterSignIn(pty, "you signed in as kate of realm employees, not as carl");
            assertNotEquals(0, pty.awaitExit(LOGIN));
        }
        assertTrue(audit(h, "auth.failure").stream().anyMatch(n -> n.path("actor").asText().equals("carl")
                && n.path("method").asText().equals("device")
                && n.path("reason").asText().contains("device sign-in by kate")), h.auditLog());
        assertTrue(audit(h, "auth.success").stream().noneMatch(n -> n.path("actor").asText().equals("carl")
                && n.path("method").asText().equals("device")), h.auditLog());
    }

    @Test
    void deniedConsentIsRefused() throws Exception {
        try (Pty pty = deviceLogin(h, "kate", "whoami")) {
            String url = verificationUrl(pty);
            signIn(url, TestRealms.KATE, Browser.Consent.DENY);
            pty.sendLine("");
            expectAfterSignIn(pty, "the sign-in was denied in the browser");
            assertNotEquals(0, pty.awaitExit(LOGIN));
        }
        assertTrue(audit(h, "auth.failure").stream().anyMatch(n -> n.path("reason").asText().contains("denied")
                && n.path("realm").asText().equals("employees")), h.auditLog());
    }

    @Test
    void expiredDeviceCodeIsRefused() throws Exception {
        try (PortierHarness shortCodes = new PortierHarness(tmp.resolve("short"))) {
            shortCodes.start(config(shortCodes, "portier-device-short"));
            try (Pty pty = deviceLogin(shortCodes, "kate", "whoami")) {
                verificationUrl(pty);
                pty.sendLine("");
                pty.expect("the sign-in code expired before you signed in", LOGIN);
                assertNotEquals(0, pty.awaitExit(LOGIN));
            }
            assertTrue(audit(shortCodes, "auth.failure").stream().anyMatch(n -> n.path("reason").asText()
                    .contains("expired")), shortCodes.auditLog());
        }
    }

    @Test
    void partnerSignsInByDeviceAndIsRefusedOutsideTheirContract() throws Exception {
        // ssh -l pete@partners:lab-globex: the realm-qualified name in the username grammar.
        try (Pty pty = Pty.start(OpenSshClient.to("127.0.0.1", h.port, "unused", null).withOption("BatchMode=no")
                .withOption("PreferredAuthentications=keyboard-interactive").withOption("LogLevel=INFO")
                .withOption("NumberOfPasswordPrompts=1").withArgs("-l", "pete@partners:lab-globex")
                .sshCommandLine("hostname"))) {
            String url = verificationUrl(pty);
            assertTrue(url.startsWith(kc.url() + "/realms/partners/device"), url);
            signIn(url, TestRealms.PETE, Browser.Consent.APPROVE);
            pty.sendLine("");
            expectAfterSignIn(pty, "lab-globex is under contract globex");
            assertNotEquals(0, pty.awaitExit(LOGIN));
        }
        assertTrue(audit(h, "auth.success").stream().anyMatch(n -> n.path("actor").asText().equals("pete@partners")
                && n.path("method").asText().equals("device")
                && n.path("realm").asText().equals("partners")), h.auditLog());
        assertTrue(audit(h, "access.denied").stream().anyMatch(n -> n.path("actor").asText().equals("pete@partners")
                && n.path("target").asText().equals("lab-globex") && n.path("reason").asText().equals("sod")),
                h.auditLog());
    }

    @Test
    void keyRegisteredInKeycloakAdmitsItsOwnerAndNoOneElse() throws Exception {
        Path kateKey = Keys.ed25519(tmp.resolve("keys"), "kate-laptop");
        setKeys(TestRealms.KATE, Keys.publicKeyLine(kateKey) + " kate@laptop");
        OpenSshClient.Result ok = OpenSshClient.to("127.0.0.1", h.port, "kate:srv-1", kateKey).ssh("echo", "key-$((6*7))");
        assertEquals(0, ok.exit(), ok.stderr());
        assertEquals("key-42", ok.stdout().strip());

        OpenSshClient.Result carl = OpenSshClient.to("127.0.0.1", h.port, "carl", kateKey).ssh("whoami");
        assertEquals(255, carl.exit(), carl.stdout());
        OpenSshClient.Result alice = OpenSshClient.to("127.0.0.1", h.port, "alice", kateKey).ssh("whoami");
        assertEquals(255, alice.exit(), alice.stdout());
        OpenSshClient.Result stranger = OpenSshClient.to("127.0.0.1", h.port, "kate",
                Keys.ed25519(tmp.resolve("keys"), "stranger")).ssh("whoami");
        assertEquals(255, stranger.exit(), stranger.stdout());
        JsonNode success = audit(h, "auth.success").stream().filter(n -> n.path("actor").asText().equals("kate")
                && n.path("method").asText().equals("publickey")).findFirst()
                .orElseThrow(() -> new AssertionError(h.auditLog()));
        assertEquals("employees", success.path("realm").asText());
    }

    @Test
    void keyRemovedInKeycloakStopsWorkingAfterTheTtl() throws Exception {
        Path carlKey = Keys.ed25519(tmp.resolve("keys"), "carl-laptop");
        setKeys(TestRealms.CARL, Keys.publicKeyLine(carlKey));
        OpenSshClient carl = OpenSshClient.to("127.0.0.1", h.port, "carl", carlKey);
        OpenSshClient.Result before = carl.ssh("whoami");
        assertEquals(0, before.exit(), before.stderr());
        assertTrue(before.stdout().contains("carl"), before.stdout());

        setKeys(TestRealms.CARL);
        Thread.sleep(2_500); // sshKeyTtl: 2s
        OpenSshClient.Result after = carl.ssh("whoami");
        assertEquals(255, after.exit(), after.stdout());
    }

    @Test
    void partnerKeyDoesNotAdmitThemWhereTheRealmAllowsDeviceLoginOnly() throws Exception {
        Path peteKey = Keys.ed25519(tmp.resolve("keys"), "pete-laptop");
        setKeys(TestRealms.PETE, Keys.publicKeyLine(peteKey));
        // The plain name means pete of partners: no local user and no employee holds it.
        OpenSshClient.Result plain = OpenSshClient.to("127.0.0.1", h.port, "pete", peteKey).ssh("whoami");
        assertEquals(255, plain.exit(), plain.stdout());
        OpenSshClient.Result qualified = OpenSshClient.to("127.0.0.1", h.port, "pete@partners", peteKey).ssh("whoami");
        assertEquals(255, qualified.exit(), qualified.stdout());
        assertTrue(audit(h, "auth.failure").stream().anyMatch(n -> n.path("actor").asText().equals("pete")
                && n.path("reason").asText().contains("realm partners allows device login only")), h.auditLog());
        assertTrue(audit(h, "auth.success").stream().noneMatch(n -> n.path("actor").asText().equals("pete@partners")
                && n.path("method").asText().equals("publickey")), h.auditLog());
    }

    @Test
    void disabledInKeycloakALiveSshSessionEndsWithinAMinute() throws Exception {
        Path key = Keys.ed25519(tmp.resolve("keys"), "lars-laptop");
        // A name no other test class creates: they share one Keycloak per test run.
        String user = "lars";
        var created = kc.tokens().admin("POST", "/admin/realms/employees/users", JSON.writeValueAsString(java.util.Map.of(
                "username", user, "enabled", true, "email", user + "@example.net", "emailVerified", true,
                "firstName", "Lars", "lastName", "Leaver", "groups", List.of("netops"),
                "attributes", java.util.Map.of("ssh_public_keys", List.of(Keys.publicKeyLine(key))))));
        assertEquals(201, created.status(), created.error());
        String id = kc.tokens().admin("GET", "/admin/realms/employees/users?exact=true&username=" + user, null).json()
                .get(0).path("id").asText();
        try (Pty session = Pty.start(OpenSshClient.to("127.0.0.1", h.port, user + ":srv-1", key).withArgs("-tt")
                .sshCommandLine("echo live-$((40+2)); sleep 300"))) {
            session.expect("live-42", LOGIN);
            long disabledAt = System.nanoTime();
            assertEquals(204, kc.tokens().admin("PUT", "/admin/realms/employees/users/" + id,
                    "{\"enabled\": false}").status());
            session.awaitExit(Duration.ofSeconds(60));
            long tookMs = (System.nanoTime() - disabledAt) / 1_000_000;
            assertTrue(tookMs <= 60_000, "the session ended " + tookMs + " ms after the user was disabled");
            assertTrue(session.screen().contains("disabled in Keycloak realm employees"), session.screen());
        }
        assertTrue(h.auditLog().lines().anyMatch(l -> l.contains("\"type\":\"identity.removed\"") && l.contains("lars")
                && l.contains("disabled in Keycloak realm employees")), h.auditLog());
        OpenSshClient.Result again = OpenSshClient.to("127.0.0.1", h.port, user, key).ssh("whoami");
        assertEquals(255, again.exit(), "a leaver cannot come back: " + again.stdout());
    }

    /** Replaces the user's {@code ssh_public_keys} through the admin API, as an administrator or the user would. */
    private void setKeys(TestRealms.User user, String... keys) {
        String base = "/admin/realms/" + user.realm() + "/users";
        Reply found = kc.tokens().admin("GET", base + "?exact=true&username=" + user.name(), null);
        assertEquals(200, found.status(), found.error());
        String id = found.json().get(0).path("id").asText();
        ObjectNode rep = (ObjectNode) kc.tokens().admin("GET", base + "/" + id, null).json();
        ObjectNode attributes = rep.has("attributes") && rep.get("attributes").isObject()
                ? (ObjectNode) rep.get("attributes") : rep.putObject("attributes");
        ArrayNode values = attributes.putArray("ssh_public_keys");
        for (String k : keys) {
            values.add(k);
        }
        Reply put = kc.tokens().admin("PUT", base + "/" + id, rep.toString());
        assertEquals(204, put.status(), put.error());
    }
}
