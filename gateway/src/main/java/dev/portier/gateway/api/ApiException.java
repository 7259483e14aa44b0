package dev.portier.gateway.api;

import dev.portier.access.service.AccessException;
import dev.portier.gateway.http.HttpReply;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * An expected failure of an API call: the HTTP status, a stable code and one sentence for the client. Also
 * where the access service's refusal codes become statuses.
 */
final class ApiException extends Exception {
    private static final Map<String, HttpResponseStatus> ACCESS_STATUS = Map.ofEntries(
            Map.entry("reason-required", HttpResponseStatus.BAD_REQUEST),
            Map.entry("bad-reason", HttpResponseStatus.BAD_REQUEST),
            Map.entry("bad-ticket", HttpResponseStatus.BAD_REQUEST),
            Map.entry("comment-required", HttpResponseStatus.BAD_REQUEST),
            Map.entry("start-in-past", HttpResponseStatus.BAD_REQUEST),
            Map.entry("unknown-account", HttpResponseStatus.BAD_REQUEST),
            Map.entry("sod", HttpResponseStatus.FORBIDDEN),
            Map.entry("no-policy", HttpResponseStatus.FORBIDDEN),
            Map.entry("no-approver", HttpResponseStatus.FORBIDDEN),
            Map.entry("duration-too-long", HttpResponseStatus.FORBIDDEN),
            Map.entry("break-glass-not-allowed", HttpResponseStatus.FORBIDDEN),
            Map.entry("not-allowed", HttpResponseStatus.FORBIDDEN),
            Map.entry("not-an-approver", HttpResponseStatus.FORBIDDEN),
            Map.entry("not-yours", HttpResponseStatus.FORBIDDEN),
            Map.entry("unknown-request", HttpResponseStatus.NOT_FOUND),
            Map.entry("unknown-grant", HttpResponseStatus.NOT_FOUND),
            Map.entry("unknown-target", HttpResponseStatus.NOT_FOUND),
            Map.entry("not-pending", HttpResponseStatus.CONFLICT),
            Map.entry("conflict", HttpResponseStatus.CONFLICT),
            Map.entry("already-approved", HttpResponseStatus.CONFLICT),
            Map.entry("already-reviewed", HttpResponseStatus.CONFLICT),
            Map.entry("not-active", HttpResponseStatus.CONFLICT),
            Map.entry("not-break-glass", HttpResponseStatus.CONFLICT),
            Map.entry("standing", HttpResponseStatus.CONFLICT),
            Map.entry("requester-gone", HttpResponseStatus.CONFLICT),
            Map.entry("unknown-policy", HttpResponseStatus.CONFLICT),
            Map.entry("store-unavailable", HttpResponseStatus.SERVICE_UNAVAILABLE));
    /** The store's own message may name hosts or URLs: clients get this sentence instead. */
    static final String UNAVAILABLE = "the access store is unavailable; nothing was changed, try again or tell a"
            + " Portier administrator";

    private final HttpResponseStatus status;
    private final String code;
    private final Map<String, String> headers;

    ApiException(HttpResponseStatus status, String code, String message) {
        this(status, code, message, Map.of());
    }

    ApiException(HttpResponseStatus status, String code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, code, message);
    }

    /** A refusal code Portier does not know yet is still a refusal: 403, never a success. */
    static ApiException of(AccessException e) {
        HttpResponseStatus status = ACCESS_STATUS.getOrDefault(e.code(), HttpResponseStatus.FORBIDDEN);
        String message = status == HttpResponseStatus.SERVICE_UNAVAILABLE ? UNAVAILABLE : e.getMessage();
        return new ApiException(status, e.code(), message);
    }

    HttpResponseStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    HttpReply reply() {
        HttpReply r = HttpReply.error(status, code, getMessage());
        for (var h : headers.entrySet()) {
            r = r.withHeader(h.getKey(), h.getValue());
        }
        return r;
    }
}
