package dev.portier.gateway.http;

import dev.portier.config.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS front: TLS only, HTTP/1.1, requests aggregated up to {@link #MAX_BODY} and handed to the
 * {@link HttpRoute} that owns their path. Translates HTTP into calls on the routes; decides nothing itself.
 * Pipeline per connection: TLS, idle timeout, HTTP codec, aggregator, dispatcher.
 */
public final class HttpsFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpsFront.class);
    /** Largest request body accepted; larger ones get 413. */
    public static final int MAX_BODY = 64 * 1024;
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADERS = 8192;
    /** A connection with no traffic and no request in flight for this long is closed. */
    static final int IDLE_SECONDS = 60;
    private static final int EVENT_LOOP_THREADS = 2;

    private final HostPort listen;
    private final SslContext tls;
    private final List<HttpRoute> routes;
    private final EventLoopGroup group;
    private Channel server;

    /**
     * @param dataDir the self-signed certificate lives under {@code <dataDir>/tls/}
     */
    public HttpsFront(HostPort listen, Path dataDir, List<HttpRoute> routes) throws IOException {
        this(listen, TlsSettings.serverContext(SelfSignedCertificate.loadOrCreate(dataDir.resolve("tls"), listen.host())),
                routes);
    }

    HttpsFront(HostPort listen, SslContext tls, List<HttpRoute> routes) {
        this.listen = listen;
        this.tls = tls;
        List<HttpRoute> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparingInt((HttpRoute r) -> r.prefix().length()).reversed());
        this.routes = List.copyOf(sorted);
        this.group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, new DefaultThreadFactory("portier-https", true),
                NioIoHandler.newFactory());
    }

    public void start() throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.newHandler(ch.alloc());
                        ssl.setHandshakeTimeoutMillis(TlsSettings.HANDSHAKE_TIMEOUT_MS);
                        ch.pipeline()
                                .addLast("tls", ssl)
                                .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                                .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(MAX_INITIAL_LINE)
                                        .setMaxHeaderSize(MAX_HEADERS)
                                        .setMaxChunkSize(8192)))
                                .addLast("aggregate", new BoundedAggregator(MAX_BODY))
                                .addLast("dispatch", new HttpDispatcher(routes));
                    }
                });
        try {
            server = b.bind(listen.host(), listen.port()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding HTTPS to " + listen);
        } catch (Exception e) {
            close();
            throw new IOException("cannot listen for HTTPS on " + listen + ": " + e.getMessage(), e);
        }
        LOG.info("HTTPS front listening on {}", server.localAddress());
    }

    /** The bound port (the configured one, or the kernel's choice for port 0). */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close().syncUninterruptibly();
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            for (HttpRoute r : routes) {
                if (r instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        LOG.warn("HTTPS route {} did not close cleanly: {}", r.prefix(), e.getMessage());
                    }
                }
            }
        }
    }
}
