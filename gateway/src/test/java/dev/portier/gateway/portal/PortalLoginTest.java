package dev.portier.gateway.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.gateway.keycloak.TestRealms;
import dev.portier.testsupport.Keys;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Portal sign-in with the authorization code flow and PKCE against the real Keycloak: once in a real headless
 * Chromium (login form, OTP form, the portal page, the cookie's attributes), and every attack on the flow with a plain
 * HTTP client that plays the browser.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalLoginTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");
    /** Short, so the expiry test waits seconds, not half an hour. */
    private static final Duration IDLE = Duration.ofSeconds(6);
    @TempDir
    static Path tmp;
    private KeycloakGateway g;
    private PortalClient client;

    @BeforeAll
    void start() throws Exception {
        String hostKey = Keys.publicKeyLine(Keys.ed25519(tmp.resolve("keys"), "unused-target-host"));
        g = new KeycloakGateway(tmp, "    portal: { idleTimeout: " + IDLE.toSeconds() + "s, maxAge: 1h }", """
                targets:
                  - { name: lab-1, address: "127.0.0.1:1", hostKey: "%s", classification: internal,
                      labels: { kind: lab }, accounts: [admin] }
                policies:
                  - name: lab
                    subjects: { teams: [netops] }
                    targets: { labels: { kind: lab } }
                    channels: [shell]
                    approval: { required: true, approvers: [{ teams: [security] }], count: 1, maxDuration: 2h }
                """.formatted(hostKey));
        client = g.client;
    }

    @AfterAll
    void stop() {
        if (g != null) {
            g.close();
        }
    }

    @Test
    void personSignsInWithPasswordAndOtpInARealBrowser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // Portier's self-signed certificate is accepted by its public key alone, not by ignoring certificate errors.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--user-data-dir=" + tmp.resolve("chromium-profile"),
                "--ignore-certificate-errors-spki-list=" + spki(g.certificate));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            browser.get("https://127.0.0.1:" + g.httpsPort + "/login?realm=employees");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
            assertTrue(browser.getCurrentUrl().startsWith(g.kc.issuer("employees") + "/protocol/openid-connect/auth"),
                    browser.getCurrentUrl());
            assertTrue(browser.getCurrentUrl().contains("code_challenge_method=S256"), browser.getCurrentUrl());
            browser.findElement(By.id("username")).sendKeys(TestRealms.KATE.name());
            browser.findElement(By.id("password")).sendKeys(TestRealms.KATE.password());
            browser.findElement(By.id("kc-login")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("otp")));
            browser.findElement(By.id("otp")).sendKeys(TestRealms.KATE.totp());
            browser.findElement(By.id("kc-login")).click();
            wait.until(ExpectedConditions.urlToBe("https://127.0.0.1:" + g.httpsPort + "/portal/"));
            assertEquals("kate", browser.findElement(By.id("user")).getText());
            assertEquals("employees", browser.findElement(By.id("realm")).getText());
            assertEquals("netops", browser.findElement(By.id("teams")).getText());
            assertTrue(browser.findElement(By.id("roles")).getText().contains("operator"));
            Cookie session = browser.manage().getCookieNamed(PortalSessions.COOKIE);
            assertNotNull(session, "session cookie set");
            assertTrue(session.isSecure(), "Secure");
            assertTrue(session.isHttpOnly(), "HttpOnly");
            assertEquals("Lax", session.getSameSite());
            assertEquals("/", session.getPath());
            assertEquals(43, session.getValue().length(), "an opaque random id, not a token");

            browser.findElement(By.id("logout")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.partialLinkText("Sign in with employees")));
            assertEquals(401, client.withSession("GET", "/portal/", session.getValue(), null).statusCode(),
                    "the session ended at logout");
        } finally {
            browser.quit();
        }
        String audit = g.auditLog();
        assertTrue(audit.contains("\"type\":\"portal.login\""), audit);
        assertTrue(audit.contains("\"type\":\"portal.logout\""), audit);
    }

    @Test
    void loginSendsPkceStateNonceAndABoundCookie() {
        HttpResponse<String> r = client.login("employees");
        assertEquals(302, r.statusCode(), r.body());
        URI to = URI.create(r.headers().firstValue("Location").orElseThrow());
        String q = to.getRawQuery();
        for (String p : new String[] {"response_type=code", "client_id=portier", "code_challenge_method=S256",
                "scope=openid", "state=", "nonce=", "code_challenge=", "redirect_uri="
                        + URLEncoder.encode("https://127.0.0.1:" + g.httpsPort + "/callback", StandardCharsets.UTF_8)}) {
            assertTrue(q.contains(p), p + " in " + q);
        }
        String cookie = PortalClient.setCookie(r, PortalRoute.LOGIN_COOKIE).orElseThrow();
        for (String attribute : new String[] {"; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax"}) {
            assertTrue(cookie.contains(attribute), attribute + " in " + cookie);
        }
    }

    @Test
    void untrustedRealmIsRefused() {
        assertEquals(400, client.login("master").statusCode());
        assertEquals(400, client.login("nope").statusCode());
    }

    @Test
    void stateMismatchIsRefused() throws Exception {
        PortalClient.Started s = client.signIn(TestRealms.CARL);
        String other = "A".repeat(43);
        URI forged = URI.create(s.callback().toString().replace("state=" + s.query("state"), "state=" + other));
        HttpResponse<String> r = client.callback(forged, s.loginCookie());
        assertEquals(400, r.statusCode(), r.body());
        assertFalse(PortalClient.cookieValue(r, PortalSessions.COOKIE).isPresent());
        assertTrue(g.auditLog().contains("unknown, expired or replayed state"));
    }

    @Test
    void replayedStateIsRefused() {
        PortalClient.Started s = client.signIn(TestRealms.CARL);
        assertEquals(303, client.callback(s.callback(), s.loginCookie()).statusCode());
        HttpResponse<String> again = client.callback(s.callback(), s.loginCookie());
        assertEquals(400, again.statusCode(), again.body());
        assertFalse(PortalClient.cookieValue(again, PortalSessions.COOKIE).isPresent());
    }

    @Test
    void callbackFromAnotherBrowserIsRefused() throws Exception {
        PortalClient.Started s = client.signIn(TestRealms.CARL);
        // The victim's browser did not start this sign-in: it holds another pre-login cookie, or none.
        HttpResponse<String> r = client.callback(s.callback(), "B".repeat(43));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(g.auditLog().contains("state not bound to this browser"));
        PortalClient.Started t = client.signIn(TestRealms.CARL);
        assertEquals(400, client.callback(t.callback(), null).statusCode());
    }

    @Test
    void replayedCodeIsRefused() throws Exception {
        PortalClient.Started first = client.signIn(TestRealms.CARL);
        assertEquals(303, client.callback(first.callback(), first.loginCookie()).statusCode());
        // The used code presented again under a fresh, genuine state of this browser: Keycloak refuses it.
        HttpResponse<String> login = client.login("employees");
        String cookie = PortalClient.cookieValue(login, PortalRoute.LOGIN_COOKIE).orElseThrow();
        String state = query(URI.create(login.headers().firstValue("Location").orElseThrow()), "state");
        URI replay = URI.create("https://127.0.0.1:" + g.httpsPort + "/callback?state=" + state + "&code="
                + URLEncoder.encode(first.query("code"), StandardCharsets.UTF_8));
        HttpResponse<String> r = client.callback(replay, cookie);
        assertEquals(400, r.statusCode(), r.body());
        assertFalse(PortalClient.cookieValue(r, PortalSessions.COOKIE).isPresent());
        assertTrue(g.auditLog().contains("Keycloak refused the code"), "audited");
    }

    @Test
    void stolenCodeWithoutTheVerifierIsWorthless() {
        PortalClient.Started s = client.signIn(TestRealms.CARL);
        String token = g.kc.issuer("employees") + "/protocol/openid-connect/token";
        String base = "grant_type=authorization_code&client_id=portier&code="
                + URLEncoder.encode(s.query("code"), StandardCharsets.UTF_8) + "&redirect_uri="
                + URLEncoder.encode("https://127.0.0.1:" + g.httpsPort + "/callback", StandardCharsets.UTF_8);
        HttpResponse<String> missing = post(token, base);
        assertEquals(400, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("invalid_grant") || missing.body().contains("invalid_request"),
                missing.body());
        PortalClient.Started t = client.signIn(TestRealms.CARL);
        HttpResponse<String> wrong = post(token, base.replace(URLEncoder.encode(s.query("code"), StandardCharsets.UTF_8),
                URLEncoder.encode(t.query("code"), StandardCharsets.UTF_8)) + "&code_verifier=" + "x".repeat(43));
        assertEquals(400, wrong.statusCode(), wrong.body());
        assertTrue(wrong.body().contains("invalid_grant"), wrong.body());
    }

    @Test
    void forgedSessionCookieIsRefused() throws Exception {
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        assertEquals(401, client.withSession("GET", "/portal/", forged, null).statusCode());
        HttpResponse<String> api = client.withSession("GET", "/api/v1/requests", forged, null);
        assertEquals(401, api.statusCode(), api.body());
        assertEquals("invalid-session", JSON.readTree(api.body()).path("error").asText());
    }

    @Test
    void idleSessionExpires() throws Exception {
        String session = client.session(TestRealms.CARL);
        assertEquals(200, client.withSession("GET", "/portal/", session, null).statusCode(), "live while used");
        long deadline = System.nanoTime() + IDLE.plusSeconds(2).toNanos();
        Thread.sleep(IDLE.toMillis());
        int status;
        do {
            status = client.withSession("GET", "/portal/", session, null).statusCode();
        } while (status == 200 && System.nanoTime() < deadline);
        assertEquals(401, status, "the session ended after " + IDLE.toSeconds() + " s without a request");
    }

    @Test
    void restApiAcceptsTheSessionCookieWithCsrfHeaderForChanges() throws Exception {
        String session = client.session(TestRealms.KATE);
        HttpResponse<String> list = client.withSession("GET", "/api/v1/requests", session, null);
        assertEquals(200, list.statusCode(), list.body());
        String body = "{\"target\": \"lab-1\", \"reason\": \"from the portal\", \"duration\": \"1h\"}";
        HttpResponse<String> noCsrf = client.withSession("POST", "/api/v1/requests", session, body,
                "Content-Type", "application/json");
        assertEquals(403, noCsrf.statusCode(), noCsrf.body());
        assertEquals("csrf", JSON.readTree(noCsrf.body()).path("error").asText());
        HttpResponse<String> wrong = client.withSession("POST", "/api/v1/requests", session, body,
                "Content-Type", "application/json", PortalSessions.CSRF_HEADER, "C".repeat(43));
        assertEquals(403, wrong.statusCode(), wrong.body());
        HttpResponse<String> ok = client.withSession("POST", "/api/v1/requests", session, body,
                "Content-Type", "application/json", PortalSessions.CSRF_HEADER, csrf(session));
        assertEquals(201, ok.statusCode(), ok.body());
        JsonNode request = JSON.readTree(ok.body()).path("request");
        assertEquals("kate", request.path("requester").asText());
        String page = client.withSession("GET", "/portal/", session, null).body();
        assertTrue(page.contains(request.path("id").asText()), "the portal lists the pending request");
    }

    @Test
    void logoutNeedsTheCsrfTokenAndEndsTheSession() throws Exception {
        String session = client.session(TestRealms.CARL);
        HttpResponse<String> forgedLogout = client.withSession("POST", "/logout", session, "csrf=nope",
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403, forgedLogout.statusCode());
        assertEquals(200, client.withSession("GET", "/portal/", session, null).statusCode(), "still signed in");
        HttpResponse<String> out = client.withSession("POST", "/logout", session, "csrf=" + csrf(session),
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, out.statusCode());
        assertTrue(PortalClient.setCookie(out, PortalSessions.COOKIE).orElseThrow().contains("Max-Age=0"));
        assertEquals(401, client.withSession("GET", "/portal/", session, null).statusCode());
    }

    private String csrf(String session) {
        Matcher m = CSRF.matcher(client.withSession("GET", "/portal/", session, null).body());
        assertTrue(m.find(), "the portal page carries the CSRF token");
        return m.group(1);
    }

    private static String query(URI uri, String name) {
        Matcher m = Pattern.compile("(?:^|&)" + name + "=([^&]*)").matcher(uri.getRawQuery());
        assertTrue(m.find(), name);
        return m.group(1);
    }

    private static HttpResponse<String> post(String url, String form) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** base64(SHA-256(SubjectPublicKeyInfo)): how Chromium names a certificate to accept by its key. */
    private static String spki(java.security.cert.X509Certificate cert) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(cert.getPublicKey().getEncoded()));
    }
}
