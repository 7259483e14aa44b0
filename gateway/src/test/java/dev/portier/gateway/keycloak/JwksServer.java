package dev.portier.gateway.keycloak;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in for Keycloak's JWKS endpoints on loopback: the key set of each realm is set by the test. */
final class JwksServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, String> sets = new ConcurrentHashMap<>();
    final AtomicInteger fetches = new AtomicInteger();

    JwksServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/realms/", exchange -> {
            fetches.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            String realm = path.substring("/realms/".length(), path.indexOf('/', "/realms/".length()));
            String body = sets.get(realm);
            byte[] bytes = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Publishes {@code keys} (their public halves) as the JWKS of {@code realm}. */
    void publish(String realm, JWKSet keys) {
        sets.put(realm, keys.toPublicJWKSet().toString());
    }

    /** Publishes raw JSON, for key sets Keycloak would never serve. */
    void publishRaw(String realm, String json) {
        sets.put(realm, json);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
