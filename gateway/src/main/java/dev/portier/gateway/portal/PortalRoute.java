package dev.portier.gateway.portal;

import dev.portier.access.identity.Identity;
import dev.portier.gateway.core.GatewayContext;
import dev.portier.gateway.http.HttpCall;
import dev.portier.gateway.http.HttpReply;
import dev.portier.gateway.http.HttpRoute;
import dev.portier.gateway.keycloak.KeycloakCodeFlow;
import dev.portier.gateway.keycloak.KeycloakException;
import dev.portier.gateway.keycloak.KeycloakIntegration;
import dev.portier.gateway.keycloak.KeycloakTokenException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser sign-in with Keycloak and the portal page:
 * <ul>
 * <li>{@code GET /login?realm=R}: a fresh state, nonce and PKCE verifier, kept server-side and bound to the
 * pre-login cookie {@value #LOGIN_COOKIE}; redirect to the realm's authorization endpoint;</li>
 * <li>{@code GET /callback}: the state must be known, unused, unexpired and bound to this browser; the code is
 * exchanged with the verifier, the ID token must carry the nonce, the access token goes through Portier's validator
 * and the user must exist and be enabled; then a session cookie and a redirect to {@code /portal/};</li>
 * <li>{@code POST /logout} (with the session's CSRF token) ends the session;</li>
 * <li>{@code GET /portal/}: who is signed in, teams, roles, their pending requests and grants.</li>
 * </ul>
 * Every sign-in, refusal and logout is audited.
 */
public final class PortalRoute implements HttpRoute, AutoCloseable {
    public static final String LOGIN_COOKIE = "__Host-portier-login";
    private static final Logger LOG = LoggerFactory.getLogger(PortalRoute.class);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern CODE = Pattern.compile("[\\x21-\\x7e]{1,2048}");
    private static final Pattern REALM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final GatewayContext ctx;
    private final KeycloakIntegration keycloak;
    private final PortalSessions sessions;
    private final LoginStates states;
    private final Supplier<URI> baseUrl;
    private final ThreadPoolExecutor workers;

    /** @param baseUrl Portier's public https origin; the redirect URI is {@code <baseUrl>/callback} */
    public PortalRoute(GatewayContext ctx, KeycloakIntegration keycloak, PortalSessions sessions,
            Supplier<URI> baseUrl, java.time.Clock clock) {
        this.ctx = ctx;
        this.keycloak = keycloak;
        this.sessions = sessions;
        this.states = new LoginStates(clock);
        this.baseUrl = baseUrl;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
            Thread t = new Thread(r, "portier-portal-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.workers.allowCoreThreadTimeOut(true);
    }

    /** This route and the sign-in paths it also answers: register all of them with the HTTPS front. */
    public List<HttpRoute> routes() {
        return List.of(this, alias("/login"), alias("/callback"), alias("/logout"));
    }

    private HttpRoute alias(String prefix) {
        return new HttpRoute() {
            @Override
            public String prefix() {
                return prefix;
            }

            @Override
            public void handle(HttpCall call) {
                PortalRoute.this.handle(call);
            }
        };
    }

    @Override
    public String prefix() {
        return "/portal/";
    }

    @Override
    public void handle(HttpCall call) {
        try {
            workers.execute(() -> call.respond(serve(call)));
        } catch (RejectedExecutionException e) {
            call.respond(PortalPage.message(HttpResponseStatus.SERVICE_UNAVAILABLE, "Portier is busy",
                    "Portier is busy; try again in a moment.").withHeader("Retry-After", "1"));
        }
    }

    HttpReply serve(HttpCall call) {
        String path = call.path();
        boolean get = call.method().equals(HttpMethod.GET);
        try {
            if (path.equals("/login") && get) {
                return login(call);
            }
            if (path.equals("/callback") && get) {
                return callback(call);
            }
            if (path.equals("/logout") && call.method().equals(HttpMethod.POST)) {
                return logout(call);
            }
            if ((path.equals("/portal/") || path.equals("/portal")) && get) {
                return portal(call);
            }
            boolean known = path.equals("/login") || path.equals("/callback") || path.equals("/logout")
                    || path.equals("/portal/") || path.equals("/portal");
            return known ? PortalPage.message(HttpResponseStatus.METHOD_NOT_ALLOWED, "Not allowed",
                    call.method().name() + " is not allowed here.")
                    : PortalPage.message(HttpResponseStatus.NOT_FOUND, "Not found", "Nothing is served at this path.");
        } catch (KeycloakException e) {
            LOG.warn("portal {} {}: Keycloak unavailable: {}", call.method(), path, e.getMessage());
            return PortalPage.message(HttpResponseStatus.SERVICE_UNAVAILABLE, "Keycloak unavailable",
                    "Portier cannot reach Keycloak right now; try again in a moment.").withHeader("Retry-After", "5");
        } catch (RuntimeException e) {
            LOG.error("portal {} {} failed", call.method(), path, e);
            return PortalPage.message(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Error",
                    "The request failed; see the gateway log.");
        }
    }

    private HttpReply login(HttpCall call) {
        String realm = single(call, "realm").orElse(keycloak.config().homeRealm().name());
        if (!REALM.matcher(realm).matches() || keycloak.config().realm(realm).isEmpty()) {
            return PortalPage.message(HttpResponseStatus.BAD_REQUEST, "Unknown realm", "Portier does not trust that"
                    + " realm; sign in with one of: " + String.join(", ", realms()) + ".");
        }
        String state = PortalSessions.random();
        String nonce = PortalSessions.random();
        String verifier = PortalSessions.random();
        String binding = PortalSessions.random();
        if (!states.put(state, realm, nonce, verifier, binding)) {
            return PortalPage.message(HttpResponseStatus.SERVICE_UNAVAILABLE, "Portier is busy",
                    "Too many sign-ins are under way; try again in a minute.").withHeader("Retry-After", "60");
        }
        URI target = keycloak.codeFlow().authorizationUri(realm, redirectUri(), state, nonce, verifier);
        return redirect(HttpResponseStatus.FOUND, target.toString())
                .withHeader("Set-Cookie", LOGIN_COOKIE + "=" + binding + "; Path=/; Secure; HttpOnly; SameSite=Lax;"
                        + " Max-Age=" + LoginStates.TTL.toSeconds());
    }

    private HttpReply callback(HttpCall call) throws KeycloakException {
        Optional<String> state = single(call, "state").filter(s -> TOKEN.matcher(s).matches());
        Optional<String> error = single(call, "error");
        // The state is spent whatever happens next: a second callback with it is a replay.
        Optional<LoginStates.Pending> pending = state.flatMap(states::take);
        if (error.isPresent()) {
            return refuse(call, null, "Keycloak answered " + clip(error.get()), HttpResponseStatus.BAD_REQUEST,
                    "The sign-in was not completed at Keycloak; start again.");
        }
        if (pending.isEmpty()) {
            return refuse(call, null, "unknown, expired or replayed state", HttpResponseStatus.BAD_REQUEST,
                    "This sign-in link is not valid or was already used; start again.");
        }
        LoginStates.Pending p = pending.get();
        String binding = PortalSessions.cookie(call, LOGIN_COOKIE);
        if (binding == null || !MessageDigest.isEqual(p.binding().getBytes(StandardCharsets.US_ASCII),
                binding.getBytes(StandardCharsets.UTF_8))) {
            return refuse(call, p.realm(), "state not bound to this browser", HttpResponseStatus.BAD_REQUEST,
                    "This sign-in was started in another browser; start again here.");
        }
        Optional<String> code = single(call, "code").filter(c -> CODE.matcher(c).matches());
        if (code.isEmpty()) {
            return refuse(call, p.realm(), "no code", HttpResponseStatus.BAD_REQUEST,
                    "Keycloak sent no sign-in code; start again.");
        }
        Identity who;
        try {
            KeycloakCodeFlow.SignedIn in = keycloak.codeFlow().exchange(p.realm(), code.get(), redirectUri(),
                    p.verifier(), p.nonce());
            var token = in.token();
            who = keycloak.authenticate(in.accessToken());
            Optional<String> conflict = ctx.access().loginRefusal(who);
            if (conflict.isPresent()) {
                return refuse(call, p.realm(), who.user() + ": " + conflict.get(), HttpResponseStatus.FORBIDDEN,
                        conflict.get());
            }
            Optional<String> cookie = sessions.create(who, p.realm(), token.username(), token.subject());
            if (cookie.isEmpty()) {
                return PortalPage.message(HttpResponseStatus.SERVICE_UNAVAILABLE, "Portier is busy",
                        "Too many portal sessions are open; try again later.");
            }
            ctx.audit().record("portal.login", who.user(), null, null, "allow", "signed in with Keycloak realm "
                    + p.realm(), Map.of("client", call.remoteAddress(), "realm", p.realm()));
            return redirect(HttpResponseStatus.SEE_OTHER, "/portal/").withHeader("Set-Cookie",
                    PortalSessions.COOKIE + "=" + cookie.get() + "; Path=/; Secure; HttpOnly; SameSite=Lax");
        } catch (KeycloakTokenException e) {
            return refuse(call, p.realm(), e.getMessage(), HttpResponseStatus.BAD_REQUEST,
                    "Keycloak did not confirm this sign-in; start again.");
        }
    }

    private HttpReply logout(HttpCall call) {
        Optional<PortalSessions.Session> s = sessions.find(PortalSessions.cookie(call, PortalSessions.COOKIE));
        if (s.isEmpty()) {
            return signedOut();
        }
        String presented = formField(call, "csrf");
        if (!PortalSessions.csrfMatches(s.get(), presented)) {
            return refuse(call, null, "logout without the session's CSRF token", HttpResponseStatus.FORBIDDEN,
                    "This sign-out did not come from Portier's page; use the Sign out button.");
        }
        sessions.end(s.get());
        ctx.audit().record("portal.logout", s.get().user(), null, null, null, "signed out",
                Map.of("client", call.remoteAddress()));
        return signedOut();
    }

    private HttpReply portal(HttpCall call) throws KeycloakException {
        Optional<PortalSessions.Resolved> r = sessions.resolve(call);
        if (r.isEmpty()) {
            return PortalPage.signIn(realms());
        }
        Identity who = r.get().identity();
        try {
            var requests = ctx.access().requests(who, true).stream().filter(q -> q.requester().equals(who.user()))
                    .toList();
            var grants = ctx.access().grants(who, true).stream().filter(g -> g.user().equals(who.user())).toList();
            return PortalPage.person(who, r.get().session().csrf(), requests, grants);
        } catch (dev.portier.access.service.AccessException e) {
            return PortalPage.message(HttpResponseStatus.SERVICE_UNAVAILABLE, "Unavailable", e.getMessage());
        }
    }

    private HttpReply signedOut() {
        return redirect(HttpResponseStatus.SEE_OTHER, "/portal/").withHeader("Set-Cookie",
                PortalSessions.COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
    }

    private HttpReply refuse(HttpCall call, String realm, String why, HttpResponseStatus status, String message) {
        ctx.audit().record("portal.login.failure", null, null, null, "deny", why, realm == null
                ? Map.of("client", call.remoteAddress()) : Map.of("client", call.remoteAddress(), "realm", realm));
        return PortalPage.message(status, "Not signed in", message + " Sign in: /login");
    }

    private URI redirectUri() {
        return URI.create(baseUrl.get() + "/callback");
    }

    private List<String> realms() {
        return keycloak.config().realms().stream().map(dev.portier.config.KeycloakConfig.Realm::name).toList();
    }

    private static HttpReply redirect(HttpResponseStatus status, String location) {
        return new HttpReply(status, PortalPage.HTML, Map.of("Location", location), new byte[0]);
    }

    /** A query parameter given exactly once. */
    private static Optional<String> single(HttpCall call, String name) {
        List<String> v = call.query().get(name);
        return v == null || v.size() != 1 ? Optional.empty() : Optional.of(v.get(0));
    }

    /** One field of an {@code application/x-www-form-urlencoded} body, or null. */
    private static String formField(HttpCall call, String name) {
        String type = call.header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return null;
        }
        var decoded = new io.netty.handler.codec.http.QueryStringDecoder("?" + new String(call.body(),
                StandardCharsets.UTF_8)).parameters().get(name);
        return decoded == null || decoded.size() != 1 ? null : decoded.get(0);
    }

    private static String clip(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 100 ? clean.substring(0, 100) : clean;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
