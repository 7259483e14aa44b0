package dev.portier.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Binds {@code notifications:}: webhook URLs and the events each receives. */
final class NotificationsSection {
    static final List<String> NOTIFICATION_KEYS = List.of("webhooks");
    static final List<String> WEBHOOK_KEYS = List.of("url", "events");

    private NotificationsSection() {
    }

    static NotificationsConfig bind(Optional<YamlMap> section, Problems problems) {
        if (section.isEmpty()) {
            return NotificationsConfig.NONE;
        }
        List<WebhookConfig> hooks = section.get().maps("webhooks", WEBHOOK_KEYS).stream()
                .flatMap(h -> webhook(h, problems).stream()).toList();
        return new NotificationsConfig(hooks);
    }

    private static Optional<WebhookConfig> webhook(YamlMap hook, Problems problems) {
        Optional<URI> url = hook.requiredString("url", ": where to POST events, e.g. https://hooks.example.net/portier")
                .flatMap(u -> url(u, problems));
        Set<String> events = new LinkedHashSet<>();
        if (!hook.has("events")) {
            events.addAll(WebhookConfig.EVENTS);
        }
        boolean bad = false;
        for (Located event : hook.strings("events")) {
            if (WebhookConfig.EVENTS.contains(event.value())) {
                events.add(event.value());
            } else {
                bad = true;
                problems.add(event, "unknown event " + Problems.quote(event.value()) + "; allowed: "
                        + String.join(", ", WebhookConfig.EVENTS));
            }
        }
        if (events.isEmpty() && !bad && hook.isList("events")) {
            problems.add(hook.lineOf("events"), hook.keyPath("events"), "must list at least one event; omit it for all events");
        }
        return url.filter(u -> !events.isEmpty()).map(u -> new WebhookConfig(u, events));
    }

    private static Optional<URI> url(Located text, Problems problems) {
        URI uri;
        try {
            uri = new URI(text.value());
        } catch (URISyntaxException e) {
            problems.add(text, Problems.quote(text.value()) + " is not a URL (" + e.getReason() + ")");
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            problems.add(text, "is not an https:// or http:// URL with a host, e.g. https://hooks.example.net/portier");
            return Optional.empty();
        }
        if (uri.getRawUserInfo() != null) {
            // Never echo the value: the user information may be a password.
            problems.add(text, "must not carry a user name or password; authenticate the receiver another way");
            return Optional.empty();
        }
        return Optional.of(uri);
    }
}
