package dev.portier.gateway.portal;

import dev.portier.access.grant.Grant;
import dev.portier.access.identity.Identity;
import dev.portier.access.request.AccessRequest;
import dev.portier.gateway.http.HttpReply;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The portal's plain HTML pages. Every value is escaped; pages carry a strict Content-Security-Policy (no script,
 * forms only to Portier, never framed). The full portal comes later; this shows who is signed in and their access.
 */
final class PortalPage {
    static final String HTML = "text/html; charset=utf-8";
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
            "X-Frame-Options", "DENY");

    private PortalPage() {
    }

    /** The signed-in person: name, realm, teams, roles, pending requests, active grants, and the sign-out button. */
    static HttpReply person(Identity who, String csrf, List<AccessRequest> requests, List<Grant> grants) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Signed in as <span id=\"user\">").append(esc(who.user())).append("</span></h1>\n");
        b.append("<p>Realm: <span id=\"realm\">").append(esc(who.realm())).append("</span></p>\n");
        b.append("<p>Teams: <span id=\"teams\">").append(list(who.teams())).append("</span></p>\n");
        b.append("<p>Roles: <span id=\"roles\">").append(list(who.roles())).append("</span></p>\n");
        b.append("<h2>Pending requests</h2>\n<ul id=\"requests\">\n");
        for (AccessRequest r : requests) {
            b.append("<li>").append(esc(r.id())).append(": ").append(esc(r.target())).append('/')
                    .append(esc(r.account())).append(" (").append(esc(r.reason())).append(")</li>\n");
        }
        b.append("</ul>\n<h2>Grants</h2>\n<ul id=\"grants\">\n");
        for (Grant g : grants) {
            b.append("<li>").append(esc(g.id())).append(": ").append(esc(g.target())).append('/')
                    .append(esc(g.account())).append(" until ").append(esc(g.end().toString())).append("</li>\n");
        }
        b.append("</ul>\n<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"")
                .append(esc(csrf)).append("\"><button id=\"logout\" type=\"submit\">Sign out</button></form>\n");
        return page(HttpResponseStatus.OK, "Portier: " + who.user(), b.toString());
    }

    /** Nobody is signed in: 401 with a sign-in link per trusted realm. */
    static HttpReply signIn(List<String> realms) {
        StringBuilder b = new StringBuilder("<h1>Portier</h1>\n<p>You are not signed in.</p>\n<ul>\n");
        for (String r : realms) {
            b.append("<li><a href=\"/login?realm=").append(esc(r)).append("\">Sign in with ").append(esc(r))
                    .append("</a></li>\n");
        }
        return page(HttpResponseStatus.UNAUTHORIZED, "Portier: sign in", b.append("</ul>\n").toString());
    }

    static HttpReply message(HttpResponseStatus status, String title, String text) {
        return page(status, "Portier: " + title, "<h1>" + esc(title) + "</h1>\n<p id=\"message\">" + esc(text)
                + "</p>\n");
    }

    private static HttpReply page(HttpResponseStatus status, String title, String body) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + "</title></head>\n<body>\n" + body + "</body></html>\n";
        return new HttpReply(status, HTML, HEADERS, html.getBytes(StandardCharsets.UTF_8));
    }

    private static String list(Collection<String> values) {
        return values.isEmpty() ? "(none)" : esc(String.join(", ", new TreeSet<>(values)));
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
