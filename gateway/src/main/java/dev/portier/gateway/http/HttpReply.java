package dev.portier.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One complete answer: status, extra headers and body. Immutable; the front adds the length and the
 * security headers every answer carries.
 */
public record HttpReply(HttpResponseStatus status, String contentType, Map<String, String> headers, byte[] body) {
    public static final String JSON = "application/json";
    private static final ObjectMapper ERRORS = new ObjectMapper();

    public HttpReply {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    /** A JSON answer; {@code json} is already serialised. */
    public static HttpReply json(HttpResponseStatus status, String json) {
        return new HttpReply(status, JSON, Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    /** The error shape every Portier HTTP answer uses: {@code {"error": code, "message": text}}. */
    public static HttpReply error(HttpResponseStatus status, String code, String message) {
        com.fasterxml.jackson.databind.node.ObjectNode n = ERRORS.createObjectNode();
        n.put("error", code);
        n.put("message", message);
        return json(status, n.toString());
    }

    /** The same answer with one more header. */
    public HttpReply withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpReply(status, contentType, more, body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpReply r && status.equals(r.status) && contentType.equals(r.contentType)
                && headers.equals(r.headers) && java.util.Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(status, contentType, headers) + java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "HttpReply[" + status + ", " + contentType + ", " + body.length + " bytes]";
    }
}
