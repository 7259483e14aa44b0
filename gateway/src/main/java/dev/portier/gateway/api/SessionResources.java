package dev.portier.gateway.api;

import dev.portier.gateway.core.Auditor;
import dev.portier.gateway.core.LiveSessions;
import dev.portier.gateway.core.LiveSessions.LiveSession;
import dev.portier.gateway.core.SessionVisibility;
import dev.portier.gateway.http.HttpReply;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /sessions}: the live sessions on this node the caller may see, and ending one ({@code kill}). The
 * same visibility rule as the SSH {@code sessions} command ({@link SessionVisibility}).
 */
final class SessionResources {
    private final LiveSessions live;
    private final Auditor audit;

    SessionResources(LiveSessions live, Auditor audit) {
        this.live = live;
        this.audit = audit;
    }

    /** {@code /sessions[/{id}/kill]}; {@code id} is the SSH session id ({@code s-...}): all its channels end. */
    HttpReply serve(ApiCall c) throws ApiException {
        List<String> s = c.segments();
        if (s.size() == 1) {
            c.require(HttpMethod.GET);
            c.query(Set.of());
            c.noBody();
            List<Map<String, Object>> out = new ArrayList<>();
            for (LiveSession ls : live.list()) {
                if (SessionVisibility.sees(c.who(), ls)) {
                    out.add(describe(ls));
                }
            }
            return ApiCall.ok(Map.of("sessions", out));
        }
        if (s.size() != 3 || !s.get(2).equals("kill")) {
            throw ApiCall.notFound();
        }
        c.require(HttpMethod.POST);
        String id = c.id(1);
        c.query(Set.of());
        c.body(ApiBodies.None.class);
        List<LiveSession> ending = live.list().stream()
                .filter(ls -> ls.sessionId().equals(id) && SessionVisibility.sees(c.who(), ls)).toList();
        if (ending.isEmpty()) {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "unknown-session", "no live session " + id
                    + " that you may end; see GET /api/v1/sessions");
        }
        audit.record("session.kill", c.who().user(), ending.get(0).target(), id, "allow", "ended through the REST API",
                Map.of("channels", ending.size(), "owner", ending.get(0).user()));
        int n = live.terminate(ls -> ls.sessionId().equals(id) && SessionVisibility.sees(c.who(), ls),
                "the session was ended by " + c.who().user());
        return ApiCall.ok(Map.of("sessionId", id, "ended", n));
    }

    /** The same fields as {@code ssh portier sessions --json}; the notifier and terminator stay inside. */
    private static Map<String, Object> describe(LiveSession s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("sessionId", s.sessionId());
        m.put("user", s.user());
        m.put("target", s.target());
        m.put("account", s.account());
        m.put("start", s.start());
        m.put("grant", s.grantId());
        m.put("end", s.end());
        return m;
    }
}
