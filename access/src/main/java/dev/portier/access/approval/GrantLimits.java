package dev.portier.access.approval;

import dev.portier.access.sod.Violation;
import dev.portier.config.ApprovalConfig;
import dev.portier.config.Durations;
import dev.portier.config.PolicyConfig;
import dev.portier.config.SodConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * How long a grant may last and whether break-glass is allowed. A normal grant lasts at most the policy's
 * {@code approval.maxDuration}; a break-glass grant at most its {@code breakGlass.maxDuration}. A duration
 * above the maximum is refused rather than shortened, so nobody gets less than they think they have.
 */
public final class GrantLimits {
    private GrantLimits() {
    }

    /** The longest grant under {@code policy}, for a normal or a break-glass request. */
    public static Duration maxDuration(PolicyConfig policy, boolean breakGlass) {
        if (breakGlass && policy.breakGlass() != null) {
            return policy.breakGlass().maxDuration();
        }
        return policy.approval() == null ? ApprovalConfig.DEFAULT_MAX_DURATION : policy.approval().maxDuration();
    }

    /** The duration a grant gets: what was asked for, or the maximum when nothing was. */
    public static Duration grantDuration(PolicyConfig policy, Duration requested, boolean breakGlass) {
        return requested == null ? maxDuration(policy, breakGlass) : requested;
    }

    /** Empty when {@code requested} (null: not given) is positive and within the maximum. */
    public static Optional<Violation> checkDuration(PolicyConfig policy, Duration requested, boolean breakGlass) {
        if (requested == null) {
            return Optional.empty();
        }
        Duration max = maxDuration(policy, breakGlass);
        String what = breakGlass ? "break-glass access" : "access";
        if (requested.isNegative() || requested.isZero()) {
            return Optional.of(new Violation(SodConfig.MAX_DURATION, "refused by rule " + SodConfig.MAX_DURATION
                    + ": a duration must be positive; ask for e.g. --duration " + Durations.format(max)));
        }
        if (requested.compareTo(max) > 0) {
            return Optional.of(new Violation(SodConfig.MAX_DURATION, "refused by rule " + SodConfig.MAX_DURATION
                    + ": policy " + policy.name() + " grants " + what + " for at most " + Durations.format(max)
                    + ", not " + Durations.format(requested) + "; ask for --duration " + Durations.format(max) + " or less"));
        }
        return Optional.empty();
    }

    /** Empty when {@code policy} allows {@code request ... --break-glass}. */
    public static Optional<Violation> checkBreakGlass(PolicyConfig policy) {
        if (policy.breakGlassAllowed()) {
            return Optional.empty();
        }
        return Optional.of(new Violation(SodConfig.BREAK_GLASS, "refused by rule " + SodConfig.BREAK_GLASS + ": policy "
                + policy.name() + " does not allow break-glass; file a normal request and wait for approval"));
    }
}
