package dev.portier.gateway.api;

import dev.portier.access.identity.Identity;
import dev.portier.access.service.AccessException;
import dev.portier.gateway.core.GatewayContext;
import dev.portier.gateway.http.HttpCall;
import dev.portier.gateway.http.HttpReply;
import dev.portier.gateway.http.HttpRoute;
import dev.portier.gateway.keycloak.KeycloakException;
import dev.portier.gateway.keycloak.KeycloakIntegration;
import dev.portier.gateway.keycloak.KeycloakTokenException;
import dev.portier.gateway.keycloak.KeycloakTokenValidator;
import dev.portier.gateway.portal.PortalSessions;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API's entry: {@code /api/v1/...}. Takes each call off the event loop onto a small bounded worker
 * pool, authenticates its bearer token, hands it to the resource that owns its path, and turns every
 * failure into Portier's error shape with the right status. Nothing here decides access.
 */
public final class ApiRoute implements HttpRoute, AutoCloseable {
    public static final String PREFIX = "/api/v1/";
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoute.class);
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +([A-Za-z0-9._~+/-]+=*) *");
    private static final int WORKERS = 4;
    private static final int QUEUE = 256;

    private final TokenService tokens;
    private final KeycloakIntegration keycloak;
    private final GatewayContext ctx;
    private final AccessResources access;
    private final SessionResources sessions;
    private final ThreadPoolExecutor workers;
    private final PortalSessions portal;

    public ApiRoute(GatewayContext ctx, TokenService tokens) {
        this(ctx, tokens, null, null);
    }

    /**
     * @param keycloak when not null, bearer tokens of its trusted realms are accepted beside Portier's own
     * @param portal   when not null, a portal session cookie is accepted instead of a bearer token; calls that change
     *                 something must then carry the session's CSRF token in {@value PortalSessions#CSRF_HEADER}
     */
    public ApiRoute(GatewayContext ctx, TokenService tokens, KeycloakIntegration keycloak, PortalSessions portal) {
        this.ctx = ctx;
        this.tokens = tokens;
        this.keycloak = keycloak;
        this.portal = portal;
        this.access = new AccessResources(ctx.access());
        this.sessions = new SessionResources(ctx.sessions(), ctx.audit());
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "portier-api-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.workers.allowCoreThreadTimeOut(true);
    }

    @Override
    public String prefix() {
        return PREFIX;
    }

    @Override
    public void handle(HttpCall call) {
        try {
            workers.execute(() -> call.respond(serve(call)));
        } catch (RejectedExecutionException e) {
            call.respond(HttpReply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy",
                    "Portier is busy; try again in a moment").withHeader("Retry-After", "1"));
        }
    }

    HttpReply serve(HttpCall call) {
        String user = null;
        try {
            Identity who = authenticate(call);
            user = who.user();
            List<String> segments = segments(call.path());
            ApiCall c = new ApiCall(who, call, segments);
            return switch (segments.get(0)) {
                case "requests" -> access.requests(c);
                case "grants" -> access.grants(c);
                case "sessions" -> sessions.serve(c);
                default -> throw ApiCall.notFound();
            };
        } catch (ApiException e) {
            return e.reply();
        } catch (AccessException e) {
            return ApiException.of(e).reply();
        } catch (IllegalStateException e) {
            // The access core fails closed this way when its audit log or store cannot be read or written.
            LOG.error("API {} {} for {} refused: {}", call.method(), call.path(), user, e.getMessage());
            return HttpReply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                    "Portier cannot record or check this right now, so nothing was changed; tell a Portier administrator");
        } catch (RuntimeException e) {
            LOG.error("API {} {} for {} failed", call.method(), call.path(), user, e);
            return HttpReply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                    "the request failed; see the gateway log");
        }
    }

    /** The bearer token's user as the identity source knows them now; 401 otherwise, audited. */
    private Identity authenticate(HttpCall call) throws ApiException {
        String header = call.header("Authorization");
        if (header == null && portal != null && call.header("Cookie") != null) {
            return authenticateSession(call);
        }
        if (header == null) {
            refuse(call, null, "no bearer token");
            throw unauthorized("missing-token", "this API needs a bearer token; get one with: ssh -p 2222 <you>@"
                    + "<portier-host> token", null);
        }
        var m = BEARER.matcher(header);
        if (!m.matches()) {
            refuse(call, null, "Authorization header is not a bearer token");
            throw unauthorized("invalid-token", "send the token as: Authorization: Bearer <token>", "invalid_request");
        }
        String token = m.group(1);
        // Portier's own tokens say iss=portier; with Keycloak configured, every other token is Keycloak's to judge.
        if (keycloak != null && !KeycloakTokenValidator.unverifiedIssuer(token).filter(TokenService.ISSUER::equals)
                .isPresent()) {
            return authenticateKeycloak(call, token);
        }
        try {
            return tokens.authenticate(token);
        } catch (TokenException e) {
            refuse(call, e.getMessage(), "invalid bearer token");
            throw e.expired()
                    ? unauthorized("expired-token", "the token has expired; get a new one with: ssh -p 2222 <you>@"
                            + "<portier-host> token", "invalid_token")
                    : unauthorized("invalid-token", "the token is not valid; get a new one with: ssh -p 2222 <you>@"
                            + "<portier-host> token", "invalid_token");
        }
    }

    /**
     * A portal session instead of a token. The cookie travels with every request the browser makes, whoever's page
     * made it, so a call that changes something must also show the session's CSRF token, which only Portier's pages
     * know (and a custom header cannot be sent cross-origin without a CORS preflight, which Portier never grants).
     */
    private Identity authenticateSession(HttpCall call) throws ApiException {
        Optional<PortalSessions.Resolved> s;
        try {
            s = portal.resolve(call);
        } catch (KeycloakException e) {
            refuse(call, e.getMessage(), "Keycloak unavailable");
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "Portier cannot check"
                    + " portal sessions right now; try again in a moment", Map.of("Retry-After", "5"));
        }
        if (s.isEmpty()) {
            refuse(call, null, "no live portal session");
            throw unauthorized("invalid-session", "the portal session has ended or is not valid; sign in again at"
                    + " /login", "invalid_token");
        }
        boolean safe = call.method().equals(HttpMethod.GET) || call.method().equals(HttpMethod.HEAD);
        if (!safe && !PortalSessions.csrfMatches(s.get().session(), call.header(PortalSessions.CSRF_HEADER))) {
            refuse(call, s.get().identity().user(), "portal session call without its CSRF token");
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "csrf", "a call with the portal session cookie that"
                    + " changes something needs the header " + PortalSessions.CSRF_HEADER + " with the session's token",
                    Map.of());
        }
        return s.get().identity();
    }

    private Identity authenticateKeycloak(HttpCall call, String token) throws ApiException {
        try {
            return keycloak.authenticate(token);
        } catch (KeycloakTokenException e) {
            refuse(call, e.getMessage(), "invalid Keycloak bearer token");
            throw e.expired()
                    ? unauthorized("expired-token", "the Keycloak token has expired; sign in to Keycloak again for a"
                            + " new one", "invalid_token")
                    : unauthorized("invalid-token", "the token is not a valid Keycloak token for Portier; get one from"
                            + " a realm Portier trusts, issued to its Portier client", "invalid_token");
        } catch (KeycloakException e) {
            refuse(call, e.getMessage(), "Keycloak unavailable");
            LOG.warn("API {} {}: cannot check a Keycloak token: {}", call.method(), call.path(), e.getMessage());
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "Portier cannot check"
                    + " Keycloak tokens right now; try again in a moment", Map.of("Retry-After", "5"));
        }
    }

    private void refuse(HttpCall call, String detail, String reason) {
        ctx.audit().record("api.auth.failure", null, null, null, "deny", detail == null ? reason
                : reason + ": " + detail, Map.of("client", call.remoteAddress(), "method", call.method().name(),
                        "path", ApiJson.printable(call.path())));
    }

    private static ApiException unauthorized(String code, String message, String error) {
        String challenge = "Bearer realm=\"portier\"" + (error == null ? "" : ", error=\"" + error + "\"");
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, code, message, Map.of("WWW-Authenticate", challenge));
    }

    /** The path below {@code /api/v1/} as segments; empty segments (a trailing or double slash) are not found. */
    static List<String> segments(String path) throws ApiException {
        if (!path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
            throw ApiCall.notFound();
        }
        List<String> s = Arrays.asList(path.substring(PREFIX.length()).split("/", -1));
        if (s.stream().anyMatch(String::isEmpty)) {
            throw ApiCall.notFound();
        }
        return s;
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
