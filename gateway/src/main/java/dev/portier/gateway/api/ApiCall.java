package dev.portier.gateway.api;

import dev.portier.access.identity.Identity;
import dev.portier.gateway.http.HttpCall;
import dev.portier.gateway.http.HttpReply;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One authenticated API call: who, the path below {@code /api/v1} as segments, and strict accessors for the
 * query, the ids in the path and the body. Every accessor refuses what it does not expect with 400.
 */
record ApiCall(Identity who, HttpCall http, List<String> segments) {
    private static final Pattern ID = Pattern.compile("[a-z]-[0-9a-f]{1,64}");
    static final int MAX_TEXT = 500;

    boolean is(HttpMethod m) {
        return http.method().equals(m);
    }

    /** 405 unless the method is one of {@code allowed}; the answer lists them in {@code Allow}. */
    void require(HttpMethod... allowed) throws ApiException {
        for (HttpMethod m : allowed) {
            if (is(m)) {
                return;
            }
        }
        String list = String.join(", ", java.util.Arrays.stream(allowed).map(HttpMethod::name).toList());
        throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                http.method() + " is not allowed here; use " + list, java.util.Map.of("Allow", list));
    }

    /** The path segment at {@code index}, which must be an id such as {@code r-1a2b3c}. */
    String id(int index) throws ApiException {
        String s = segments.get(index);
        if (!ID.matcher(s).matches()) {
            throw ApiException.badRequest("bad-id", "'" + ApiJson.printable(s) + "' is not an id (e.g. r-1a2b3c4d5e)");
        }
        return s;
    }

    /** Refuses query parameters other than {@code allowed}, and any given twice. */
    void query(Set<String> allowed) throws ApiException {
        for (var e : http.query().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw ApiException.badRequest("unknown-parameter", "unknown query parameter '"
                        + ApiJson.printable(e.getKey()) + "'" + (allowed.isEmpty() ? "" : "; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed))));
            }
            if (e.getValue().size() != 1) {
                throw ApiException.badRequest("bad-parameter", "query parameter '" + e.getKey() + "' is given "
                        + e.getValue().size() + " times");
            }
        }
    }

    /** A boolean query parameter: absent is false; only {@code true} and {@code false} are accepted. */
    boolean flag(String name) throws ApiException {
        List<String> v = http.query().get(name);
        if (v == null) {
            return false;
        }
        return switch (v.get(0)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("bad-parameter", "query parameter '" + name
                    + "' must be true or false");
        };
    }

    /** A GET carries no body. */
    void noBody() throws ApiException {
        if (http.bodyLength() > 0) {
            throw ApiException.badRequest("unexpected-body", http.method() + " takes no body");
        }
    }

    <T> T body(Class<T> type) throws ApiException {
        return ApiJson.read(http, type);
    }

    /**
     * An optional one-line text field: at most {@value #MAX_TEXT} characters, no control characters.
     *
     * @return the value stripped, or null when absent
     */
    static String text(String field, String value, boolean required) throws ApiException {
        if (value == null || value.isBlank()) {
            if (required) {
                throw ApiException.badRequest("missing-field", "field '" + field + "' is required");
            }
            return null;
        }
        if (value.length() > MAX_TEXT || value.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("bad-field", "field '" + field + "' must be one line of at most "
                    + MAX_TEXT + " characters");
        }
        return value.strip();
    }

    static HttpReply ok(Object value) {
        return HttpReply.json(HttpResponseStatus.OK, ApiJson.write(value));
    }

    static ApiException notFound() {
        return new ApiException(HttpResponseStatus.NOT_FOUND, "not-found", "no such API resource; see /api/v1");
    }
}
