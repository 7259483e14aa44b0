package dev.portier.config;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * One entry of {@code notifications.webhooks:}: events POSTed as JSON to {@code url}.
 *
 * @param url    {@code https} or {@code http}, without user information
 * @param events a subset of {@link #EVENTS}; all of them unless written
 */
public record WebhookConfig(URI url, Set<String> events) {
    /** Every event a webhook can receive. */
    public static final List<String> EVENTS = List.of("request.created", "request.decided", "breakglass", "grant.expired");

    public WebhookConfig {
        events = Set.copyOf(events);
    }
}
