package dev.portier.gateway.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each aggregated request to its route and writes the answers in request order. One request per
 * connection is in flight at a time: reading stops while a route works and resumes when its answer is
 * written, so a slow answer holds back the client, not the server's memory. Event-loop confined.
 */
final class HttpDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatcher.class);
    /** Requests a client may pipeline behind the one in flight (all decoded from bytes already read). */
    private static final int MAX_WAITING = 16;
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Strict-Transport-Security", "max-age=31536000",
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store",
            "Referrer-Policy", "no-referrer");

    private final List<HttpRoute> routes;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private boolean busy;

    /** @param routes longest prefix first */
    HttpDispatcher(List<HttpRoute> routes) {
        this.routes = routes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest) && !(msg instanceof BoundedAggregator.Oversized)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (waiting.size() >= MAX_WAITING) {
            ReferenceCountUtil.release(msg);
            LOG.warn("closing HTTPS connection from {}: more than {} pipelined requests", ctx.channel().remoteAddress(),
                    MAX_WAITING);
            ctx.close();
            return;
        }
        waiting.add(msg);
        if (!busy) {
            next(ctx);
        }
    }

    private void next(ChannelHandlerContext ctx) {
        Object msg = waiting.poll();
        if (msg == null) {
            busy = false;
            ctx.channel().config().setAutoRead(true);
            return;
        }
        busy = true;
        ctx.channel().config().setAutoRead(false);
        if (msg instanceof BoundedAggregator.Oversized o) {
            write(ctx, HttpReply.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too-large",
                    "the request body is larger than " + HttpsFront.MAX_BODY / 1024 + " KiB"), !o.close());
            return;
        }
        FullHttpRequest req = (FullHttpRequest) msg;
        try {
            dispatch(ctx, req);
        } finally {
            req.release();
        }
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException
                            ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                            : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                                    : HttpResponseStatus.BAD_REQUEST;
            // The decoder cannot find the next request after a malformed one: answer and close.
            write(ctx, HttpReply.error(status, "bad-request", "the HTTP request is malformed"), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        byte[] body = ByteBufUtil.getBytes(req.content());
        HttpCall call = new HttpCall(req.method(), req.uri(), req.headers(), body,
                String.valueOf(ctx.channel().remoteAddress()), ctx.channel().eventLoop(),
                reply -> write(ctx, reply, keepAlive));
        HttpRoute route = route(call.path());
        if (route == null) {
            call.respond(HttpReply.error(HttpResponseStatus.NOT_FOUND, "not-found", "nothing is served at this path"));
            return;
        }
        try {
            route.handle(call);
        } catch (RuntimeException e) {
            LOG.error("HTTPS route {} failed on {} {}", route.prefix(), req.method(), call.path(), e);
            call.respond(HttpReply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                    "the request failed; see the gateway log"));
        }
    }

    private HttpRoute route(String path) {
        for (HttpRoute r : routes) {
            String prefix = r.prefix();
            // "/api/v1/" also owns "/api/v1" itself.
            boolean bare = prefix.endsWith("/") && path.length() == prefix.length() - 1 && prefix.startsWith(path);
            if (path.startsWith(prefix) || bare) {
                return r;
            }
        }
        return null;
    }

    /** Writes one answer; then the next waiting request, or reading resumes. */
    private void write(ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(),
                Unpooled.wrappedBuffer(reply.body()));
        SECURITY_HEADERS.forEach((k, v) -> resp.headers().set(k, v));
        reply.headers().forEach((k, v) -> resp.headers().set(k, v));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        HttpUtil.setContentLength(resp, resp.content().readableBytes());
        if (!keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(resp).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
            } else {
                next(ctx);
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!busy) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (Object o : waiting) {
            ReferenceCountUtil.release(o);
        }
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // TLS failures and resets are the client's business; one debug line, never the payload.
        LOG.debug("HTTPS connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
