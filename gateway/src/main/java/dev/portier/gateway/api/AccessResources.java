package dev.portier.gateway.api;

import dev.portier.access.grant.Grant;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.service.AccessException;
import dev.portier.access.service.AccessService;
import dev.portier.access.service.RequestResult;
import dev.portier.access.service.RequestSpec;
import dev.portier.config.Durations;
import dev.portier.gateway.http.HttpReply;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /requests} and {@code /grants}: the REST form of the SSH commands request, requests, approve, deny,
 * cancel, grants and revoke. Translates only; the access service decides, explains and audits. Runs on the
 * API's workers (the service touches the database).
 */
final class AccessResources {
    private static final int MAX_NAME = 128;
    private final AccessService access;

    AccessResources(AccessService access) {
        this.access = access;
    }

    /** {@code /requests[/{id}[/approve|deny|cancel]]} */
    HttpReply requests(ApiCall c) throws ApiException, AccessException {
        List<String> s = c.segments();
        if (s.size() == 1) {
            c.require(HttpMethod.GET, HttpMethod.POST);
            if (c.is(HttpMethod.POST)) {
                return create(c);
            }
            c.query(Set.of("pending"));
            c.noBody();
            return ApiCall.ok(Map.of("requests", access.requests(c.who(), c.flag("pending"))));
        }
        if (s.size() == 2) {
            c.require(HttpMethod.GET);
            String id = c.id(1);
            c.query(Set.of());
            c.noBody();
            return ApiCall.ok(access.request(c.who(), id));
        }
        if (s.size() != 3 || !Set.of("approve", "deny", "cancel").contains(s.get(2))) {
            throw ApiCall.notFound();
        }
        c.require(HttpMethod.POST);
        String id = c.id(1);
        c.query(Set.of());
        AccessRequest r = switch (s.get(2)) {
            case "approve" -> access.approve(c.who(), id,
                    ApiCall.text("comment", c.body(ApiBodies.Comment.class).comment(), false));
            case "deny" -> access.deny(c.who(), id,
                    ApiCall.text("comment", c.body(ApiBodies.Comment.class).comment(), true));
            default -> {
                c.body(ApiBodies.None.class);
                yield access.cancel(c.who(), id);
            }
        };
        return ApiCall.ok(r);
    }

    private HttpReply create(ApiCall c) throws ApiException, AccessException {
        c.query(Set.of());
        ApiBodies.NewRequest b = c.body(ApiBodies.NewRequest.class);
        String target = name("target", b.target(), true);
        String account = name("account", b.account(), false);
        String reason = ApiCall.text("reason", b.reason(), true);
        String ticket = ApiCall.text("ticket", b.ticket(), false);
        Duration duration = null;
        Instant start = null;
        try {
            duration = b.duration() == null ? null : Durations.parse(ApiCall.text("duration", b.duration(), true));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad-duration", "field 'duration': " + e.getMessage());
        }
        try {
            start = b.start() == null ? null : Instant.parse(ApiCall.text("start", b.start(), true));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("bad-start", "field 'start' must be an ISO-8601 instant such as"
                    + " 2026-12-01T08:00:00Z");
        }
        RequestResult r = access.request(c.who(), new RequestSpec(target, account, reason, ticket, duration, start,
                Boolean.TRUE.equals(b.breakGlass())));
        return HttpReply.json(HttpResponseStatus.CREATED, ApiJson.write(r))
                .withHeader("Location", "/api/v1/requests/" + r.request().id());
    }

    /** {@code /grants[/{id}/revoke]} */
    HttpReply grants(ApiCall c) throws ApiException, AccessException {
        List<String> s = c.segments();
        if (s.size() == 1) {
            c.require(HttpMethod.GET);
            c.query(Set.of("all"));
            c.noBody();
            List<Grant> list = access.grants(c.who(), !c.flag("all"));
            return ApiCall.ok(Map.of("grants", list));
        }
        if (s.size() != 3 || !s.get(2).equals("revoke")) {
            throw ApiCall.notFound();
        }
        c.require(HttpMethod.POST);
        String id = c.id(1);
        c.query(Set.of());
        String reason = ApiCall.text("reason", c.body(ApiBodies.Revocation.class).reason(), false);
        return ApiCall.ok(access.revoke(c.who(), id, reason));
    }

    /** A target or account name: short, printable, no blanks. */
    private static String name(String field, String value, boolean required) throws ApiException {
        if (value == null) {
            if (required) {
                throw ApiException.badRequest("missing-field", "field '" + field + "' is required");
            }
            return null;
        }
        if (value.isEmpty() || value.length() > MAX_NAME || value.codePoints().anyMatch(
                ch -> Character.isISOControl(ch) || Character.isWhitespace(ch))) {
            throw ApiException.badRequest("bad-field", "field '" + field + "' must be a name of at most " + MAX_NAME
                    + " characters without blanks");
        }
        return value;
    }
}
