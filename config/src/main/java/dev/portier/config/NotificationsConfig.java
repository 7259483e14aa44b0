package dev.portier.config;

import java.util.List;

/** {@code notifications:} where Portier announces request and grant events. */
public record NotificationsConfig(List<WebhookConfig> webhooks) {
    public static final NotificationsConfig NONE = new NotificationsConfig(List.of());

    public NotificationsConfig {
        webhooks = List.copyOf(webhooks);
    }
}
