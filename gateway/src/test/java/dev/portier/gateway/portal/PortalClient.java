package dev.portier.gateway.portal;

import dev.portier.gateway.keycloak.TestRealms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A browser played with plain HTTP, for attack tests: it asks Portier's {@code /login}, fills Keycloak's login and
 * OTP forms the way a person's browser posts them, and stops at the redirect back to Portier's {@code /callback}, so
 * a test can replay, swap or drop any part. Redirects are never followed by itself.
 */
public final class PortalClient {
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");

    private final int portierPort;
    private final HttpClient portier;
    // No CookieManager: Keycloak marks its cookies Secure, which the JDK keeps from plain-http loopback, while a
    // browser treats 127.0.0.1 as a secure context and sends them. Each sign-in keeps its own jar, as a browser would.
    private final HttpClient keycloak = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** A sign-in up to Keycloak's redirect: the callback URL (state, code) and the pre-login cookie of this browser. */
    public record Started(URI callback, String loginCookie) {
        public String query(String name) {
            Matcher m = Pattern.compile("(?:^|&)" + name + "=([^&]*)").matcher(callback.getRawQuery());
            return m.find() ? java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
        }
    }

    public PortalClient(int portierPort, SSLContext trustPortier) {
        this.portierPort = portierPort;
        this.portier = HttpClient.newBuilder().sslContext(trustPortier).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public URI portier(String path) {
        return URI.create("https://127.0.0.1:" + portierPort + path);
    }

    /** {@code GET /login?realm=...}: Portier's redirect to Keycloak and its Set-Cookie. */
    public HttpResponse<String> login(String realm) {
        return send(portier, HttpRequest.newBuilder(portier("/login?realm=" + realm)).GET());
    }

    /** Signs {@code user} in at Keycloak (password, then OTP when they have one) and stops at the callback. */
    public Started signIn(TestRealms.User user) {
        HttpResponse<String> login = login(user.realm());
        if (login.statusCode() != 302) {
            throw new IllegalStateException("/login answered " + login.statusCode() + ": " + login.body());
        }
        String cookie = cookieValue(login, PortalRoute.LOGIN_COOKIE).orElseThrow();
        URI auth = URI.create(login.headers().firstValue("Location").orElseThrow());
        Map<String, String> jar = new LinkedHashMap<>();
        HttpResponse<String> page = keep(jar, send(keycloak, HttpRequest.newBuilder(auth).GET()));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", user.name());
        form.put("password", user.password());
        form.put("credentialId", "");
        HttpResponse<String> next = keep(jar, post(action(page), form, jar));
        if (next.statusCode() == 200 && user.otpSecret() != null) {
            next = post(action(next), Map.of("otp", user.totp()), jar);
        }
        if (next.statusCode() != 302) {
            throw new IllegalStateException("Keycloak did not redirect back after sign-in: " + next.statusCode());
        }
        return new Started(URI.create(next.headers().firstValue("Location").orElseThrow()), cookie);
    }

    /** Presents a callback URL to Portier with the given pre-login cookie (null: none). */
    public HttpResponse<String> callback(URI callback, String loginCookie) {
        URI target = portier(callback.getRawPath() + "?" + callback.getRawQuery());
        HttpRequest.Builder b = HttpRequest.newBuilder(target).GET();
        if (loginCookie != null) {
            b.header("Cookie", PortalRoute.LOGIN_COOKIE + "=" + loginCookie);
        }
        return send(portier, b);
    }

    /** A full sign-in: the session cookie's value. */
    public String session(TestRealms.User user) {
        Started s = signIn(user);
        HttpResponse<String> r = callback(s.callback(), s.loginCookie());
        if (r.statusCode() != 303) {
            throw new IllegalStateException("callback answered " + r.statusCode() + ": " + r.body());
        }
        return cookieValue(r, PortalSessions.COOKIE).orElseThrow();
    }

    /** A request to Portier with the session cookie (null: none) and extra headers. */
    public HttpResponse<String> withSession(String method, String path, String session, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(portier(path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Cookie", PortalSessions.COOKIE + "=" + session);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(portier, b);
    }

    public static Optional<String> cookieValue(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).findFirst();
    }

    public static Optional<String> setCookie(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst();
    }

    private HttpResponse<String> post(URI action, Map<String, String> form, Map<String, String> jar) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(action).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!jar.isEmpty()) {
            b.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        return send(keycloak, b);
    }

    /** Keeps the cookies Keycloak sets (name and value; attributes do not matter for one loopback server). */
    private static HttpResponse<String> keep(Map<String, String> jar, HttpResponse<String> r) {
        for (String c : r.headers().allValues("Set-Cookie")) {
            String pair = c.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                jar.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        return r;
    }

    private static URI action(HttpResponse<String> page) {
        Matcher m = FORM_ACTION.matcher(page.body());
        if (!m.find()) {
            throw new IllegalStateException("no form on Keycloak's page (HTTP " + page.statusCode() + ")");
        }
        return URI.create(m.group(1).replace("&amp;", "&"));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder b) {
        try {
            return client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
