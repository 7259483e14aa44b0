package dev.portier.config;

import java.time.Duration;

/**
 * {@code policies[].breakGlass:} whether {@code request ... --break-glass} grants at once, without waiting for
 * approval, and for how long at most. A policy without this key does not allow break-glass.
 *
 * @param maxDuration the longest break-glass grant, at most {@link #LIMIT}
 */
public record BreakGlassConfig(boolean allowed, Duration maxDuration) {
    /** The longest break-glass grant unless {@code maxDuration} says otherwise. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(1);
    /** Break-glass is for emergencies: no configuration may let it last longer than this. */
    public static final Duration LIMIT = Duration.ofHours(24);
}
