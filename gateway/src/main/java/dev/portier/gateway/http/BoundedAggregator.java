package dev.portier.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates a request body up to a limit. Netty's aggregator answers an oversized request itself, out of
 * turn and without Portier's error shape; this one passes an {@link Oversized} marker on instead, so the
 * dispatcher answers 413 in order with the other answers on the connection.
 */
final class BoundedAggregator extends HttpObjectAggregator {

    /**
     * A request whose body exceeded the limit; its content is being discarded.
     *
     * @param close true when the connection cannot carry another request afterwards
     */
    record Oversized(boolean close) {
    }

    BoundedAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // As Netty decides: a message already complete, or one nobody will continue on this connection, closes it.
        boolean close = oversized instanceof FullHttpMessage
                || (!HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized));
        ctx.fireChannelRead(new Oversized(close));
    }
}
