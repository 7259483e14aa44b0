package dev.portier.gateway.evidence;

import dev.portier.config.SpotCheckConfig;
import dev.portier.config.TargetConfig;
import java.security.SecureRandom;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Decides which sessions go to the auditors' spot-check queue: those of an eligible realm or on a target with
 * the configured labels, at the configured share. The draw is unpredictable to users (a secure random), so
 * a supplier cannot tell which of their sessions will be reviewed.
 */
public final class SpotCheckSampler {
    private final Supplier<SpotCheckConfig> config;
    /** 0..99, uniform. */
    private final IntSupplier draw;

    /** @param config read per session, so a reloaded configuration applies to the next session */
    public SpotCheckSampler(Supplier<SpotCheckConfig> config) {
        this(config, secureDraw());
    }

    SpotCheckSampler(Supplier<SpotCheckConfig> config, IntSupplier draw) {
        this.config = config;
        this.draw = draw;
    }

    private static IntSupplier secureDraw() {
        SecureRandom random = new SecureRandom();
        return () -> random.nextInt(100);
    }

    public boolean eligible(String realm, TargetConfig target) {
        return eligible(config.get(), realm, target);
    }

    private static boolean eligible(SpotCheckConfig config, String realm, TargetConfig target) {
        boolean byRealm = config.realms().contains(realm);
        boolean byLabel = !config.labels().isEmpty()
                && config.labels().entrySet().stream().allMatch(e -> e.getValue().equals(target.labels().get(e.getKey())));
        return byRealm || byLabel;
    }

    /** Whether this session is sampled; call once per session channel. */
    public boolean sample(String realm, TargetConfig target) {
        SpotCheckConfig c = config.get();
        return c.percent() > 0 && eligible(c, realm, target) && draw.getAsInt() < c.percent();
    }
}
