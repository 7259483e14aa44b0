package dev.portier.gateway.core;

import dev.portier.access.identity.IdentityProvider;
import dev.portier.access.service.AccessService;
import dev.portier.access.policy.PolicyEngine;
import dev.portier.config.PortierConfig;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.index.RecordingIndexer;
import dev.portier.vault.CredentialSource;

/**
 * The core services a protocol front calls. Fronts translate wire events into calls on these; they never
 * read policy files or secrets themselves.
 */
public record GatewayContext(
        PortierConfig config,
        IdentityProvider identities,
        PolicyEngine policies,
        CredentialSource credentials,
        RecordingStore recordings,
        RecordingIndexer recordingIndex,
        Auditor audit,
        LiveSessions sessions,
        AccessService access) {
}
