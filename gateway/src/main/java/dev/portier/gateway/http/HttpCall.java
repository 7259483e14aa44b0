package dev.portier.gateway.http;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One aggregated request and the way to answer it. The body is copied out of Netty's buffer, so a route may
 * read it on any thread without reference counting. {@link #respond} may be called from any thread, once.
 */
public final class HttpCall {
    private final HttpMethod method;
    private final String path;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final byte[] body;
    private final String remoteAddress;
    private final EventLoop loop;
    private final Consumer<HttpReply> writer;
    private final AtomicBoolean answered = new AtomicBoolean();

    HttpCall(HttpMethod method, String uri, HttpHeaders headers, byte[] body, String remoteAddress, EventLoop loop,
            Consumer<HttpReply> writer) {
        QueryStringDecoder decoded = new QueryStringDecoder(uri);
        this.method = method;
        this.path = decoded.rawPath();
        this.query = decoded.parameters();
        this.headers = headers;
        this.body = body;
        this.remoteAddress = remoteAddress;
        this.loop = loop;
        this.writer = writer;
    }

    public HttpMethod method() {
        return method;
    }

    /** The raw path, percent-escapes left as sent: routes match it exactly. */
    public String path() {
        return path;
    }

    /** Query parameters, decoded; a name sent twice has two values. */
    public Map<String, List<String>> query() {
        return query;
    }

    /** A request header, or null. */
    public String header(CharSequence name) {
        return headers.get(name);
    }

    public byte[] body() {
        return body.clone();
    }

    public int bodyLength() {
        return body.length;
    }

    /** The client's address (for audit), {@code host:port}. */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** Sends the answer on the channel's event loop; later calls are ignored. */
    public void respond(HttpReply reply) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        if (loop.inEventLoop()) {
            writer.accept(reply);
        } else {
            loop.execute(() -> writer.accept(reply));
        }
    }
}
