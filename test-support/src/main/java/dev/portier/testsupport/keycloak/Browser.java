package dev.portier.testsupport.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person at a browser signing in to the test Keycloak, as far as the OAuth device flow needs one: opens the
 * verification URL, posts the login form (username and password), then the OTP form with a code computed at that
 * moment, then confirms or denies the device grant on the consent page when the client asks for consent. Knows
 * Keycloak's pages by their form fields, not by their wording. One per sign-in.
 *
 * <p>Keeps its own cookie jar and follows redirects itself: Keycloak marks its cookies {@code Secure} even on a
 * loopback {@code http} address (browsers treat localhost as a secure context), and {@link java.net.CookieManager}
 * never sends a {@code Secure} cookie over {@code http}.
 */
public final class Browser {
    /** What the person answers on the consent page. */
    public enum Consent { APPROVE, DENY }

    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL
            | Pattern.CASE_INSENSITIVE);
    private static final Pattern INPUT = Pattern.compile("<(?:input|button)\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_-]+)\\s*=\\s*\"([^\"]*)\"");
    private static final int MAX_STEPS = 8;

    private final List<String> trail = new ArrayList<>();
    private static final int MAX_REDIRECTS = 10;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** A page as the person sees it: its address and its HTML. */
    public record Page(URI uri, int status, String html) {
        /** The visible text, tags removed, for assertions. */
        public String text() {
            return html.replaceAll("(?s)<script.*?</script>", " ").replaceAll("(?s)<style.*?</style>", " ")
                    .replaceAll("<[^>]+>", " ").replaceAll("&nbsp;", " ").replaceAll("\\s+", " ").strip();
        }
    }

    private record Form(String action, Map<String, String> hidden, List<String> fields) {
    }

    /**
     * Signs in at {@code verificationUrl} (the device flow's {@code verification_uri_complete}) and answers the
     * consent page with {@code consent}; returns the last page (Keycloak's "device login" result).
     *
     * @param totp the current one-time code, asked for only when the OTP form appears (null: no OTP)
     */
    public Page signIn(String verificationUrl, String user, String password, Supplier<String> totp, Consent consent) {
        Page page = get(URI.create(verificationUrl));
        for (int step = 0; step < MAX_STEPS; step++) {
            Form form = actionable(page);
            if (form == null) {
                return page;
            }
            Map<String, String> fields = new LinkedHashMap<>(form.hidden());
            if (form.fields().contains("username")) {
                fields.put("username", user);
                fields.put("password", password);
            } else if (form.fields().contains("otp")) {
                if (totp == null) {
                    throw new IllegalStateException("Keycloak asks for an OTP code: " + page.text());
                }
                fields.put("otp", totp.get());
            } else if (form.fields().contains("device_user_code")) {
                fields.putIfAbsent("device_user_code", "");
            } else if (consent == Consent.APPROVE) {
                fields.put("accept", "Yes");
            } else {
                fields.put("cancel", "No");
            }
            page = post(page.uri().resolve(form.action()), fields);
        }
        throw new IllegalStateException("the sign-in did not end after " + MAX_STEPS + " pages: " + page.text());
    }

    /** Every page seen, with its status, address and form fields (no values), for assertion messages. */
    public String trail() {
        return String.join("\n", trail);
    }

    /** The first form that asks the person for something: login, OTP or consent; null when the flow ended. */
    private static Form actionable(Page page) {
        Matcher m = FORM.matcher(page.html());
        while (m.find()) {
            String action = attributes(m.group(1)).get("action");
            if (action == null) {
                continue;
            }
            Map<String, String> hidden = new LinkedHashMap<>();
            List<String> fields = new ArrayList<>();
            Matcher in = INPUT.matcher(m.group(2));
            while (in.find()) {
                Map<String, String> a = attributes(in.group(1));
                String name = a.get("name");
                if (name == null) {
                    continue;
                }
                fields.add(name);
                // The code page of the device flow comes with the code already filled in from the complete URL.
                if (("hidden".equalsIgnoreCase(a.get("type")) || name.equals("device_user_code"))
                        && a.containsKey("value")) {
                    hidden.put(name, unescape(a.get("value")));
                }
            }
            if (fields.contains("username") || fields.contains("otp") || fields.contains("accept")
                    || fields.contains("cancel") || fields.contains("device_user_code")) {
                return new Form(unescape(action), hidden, fields);
            }
        }
        return null;
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher a = ATTRIBUTE.matcher(tag);
        while (a.find()) {
            out.putIfAbsent(a.group(1).toLowerCase(java.util.Locale.ROOT), a.group(2));
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                .replace("&gt;", ">");
    }

    private Page get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    private Page post(URI uri, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = exchange(request);
            for (int hops = 0; r.statusCode() / 100 == 3 && hops < MAX_REDIRECTS; hops++) {
                URI next = r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
                r = exchange(HttpRequest.newBuilder(next).GET());
            }
            Page page = new Page(r.uri(), r.statusCode(), r.body());
            Form form = actionable(page);
            String text = page.text();
            trail.add(r.statusCode() + " " + r.uri() + (form == null ? " (no form) " + text.substring(0,
                    Math.min(300, text.length())) : " fields " + form.fields()));
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String set : r.headers().allValues("Set-Cookie")) {
            String pair = set.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            boolean gone = value.isEmpty() || set.toLowerCase(java.util.Locale.ROOT).contains("max-age=0");
            if (gone) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return r;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
