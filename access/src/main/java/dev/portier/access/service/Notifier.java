package dev.portier.access.service;

import java.util.Map;

/**
 * Tells the outside world (webhooks) about request and grant events. Must not block: implementations queue.
 * Events: {@code request.created}, {@code request.decided}, {@code breakglass}, {@code grant.expired}.
 */
public interface Notifier {
    Notifier NONE = (event, payload) -> { };

    void send(String event, Map<String, Object> payload);
}
