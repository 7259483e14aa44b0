package dev.portier.gateway.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portier.access.service.Notifier;
import dev.portier.config.WebhookConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts request and grant events as JSON to the configured webhooks, asynchronously (the JDK's HTTP client):
 * the access decision never waits for a receiver. Each event carries a unique id so receivers can drop
 * duplicates; failures are retried with backoff a few times, then logged. Bounded: at most 256 deliveries in
 * flight, beyond that events are dropped with an error in the log (the audit log still has them).
 */
public final class WebhookNotifier implements Notifier, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 4;

    private final List<WebhookConfig> hooks;
    private final HttpClient http;
    private final ScheduledExecutorService retries;
    private final Semaphore inFlight = new Semaphore(256);

    public WebhookNotifier(List<WebhookConfig> hooks) {
        this.hooks = List.copyOf(hooks);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portier-webhooks");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void send(String event, Map<String, Object> payload) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", UUID.randomUUID().toString());
        body.put("event", event);
        body.put("time", Instant.now().toString());
        body.putAll(payload);
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (Exception e) {
            LOG.error("webhook event {} cannot be encoded: {}", event, e.toString());
            return;
        }
        for (WebhookConfig h : hooks) {
            if (h.events().contains(event)) {
                if (!inFlight.tryAcquire()) {
                    LOG.error("webhook {} is too slow: event {} dropped (see the audit log)", h.url(), event);
                    continue;
                }
                deliver(h.url(), json, event, 1);
            }
        }
    }

    private void deliver(URI url, String json, String event, int attempt) {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("User-Agent", "Portier")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        CompletableFuture<HttpResponse<Void>> f = http.sendAsync(req, HttpResponse.BodyHandlers.discarding());
        f.whenComplete((resp, err) -> {
            boolean ok = err == null && resp.statusCode() / 100 == 2;
            if (ok) {
                inFlight.release();
                return;
            }
            String why = err != null ? err.getClass().getSimpleName() : "HTTP " + resp.statusCode();
            if (attempt >= ATTEMPTS) {
                inFlight.release();
                LOG.error("webhook {} did not take event {} after {} attempts ({})", url, event, attempt, why);
                return;
            }
            long delay = 500L << attempt;
            LOG.warn("webhook {} failed for event {} ({}); retrying in {} ms", url, event, why, delay);
            retries.schedule(() -> deliver(url, json, event, attempt + 1), delay, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
