package dev.portier.access.service;

import java.time.Duration;
import java.time.Instant;

/**
 * What a user asks for.
 *
 * @param account  null for the target's first account
 * @param duration null for the policy's maximum
 * @param start    null to start when approved
 */
public record RequestSpec(String target, String account, String reason, String ticket, Duration duration,
        Instant start, boolean breakGlass) {
}
