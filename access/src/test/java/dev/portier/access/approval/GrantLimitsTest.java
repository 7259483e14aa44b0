package dev.portier.access.approval;

import static dev.portier.access.sod.SodFixtures.approval;
import static dev.portier.access.sod.SodFixtures.policy;
import static dev.portier.access.sod.SodFixtures.teams;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portier.access.sod.Violation;
import dev.portier.config.BreakGlassConfig;
import dev.portier.config.PolicyConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrantLimitsTest {
    private final PolicyConfig noBreakGlass = policy("routers", approval(1, teams("security")), null, List.of());
    private final PolicyConfig breakGlass = policy("oncall", approval(1, teams("security")),
            new BreakGlassConfig(true, Duration.ofHours(1)), List.of());

    @Test
    void durationAboveThePolicyMaximumIsRefused() {
        assertEquals(Optional.of(new Violation("max-duration", "refused by rule max-duration: policy routers grants access"
                + " for at most 4h, not 8h; ask for --duration 4h or less")),
                GrantLimits.checkDuration(noBreakGlass, Duration.ofHours(8), false));
    }

    @Test
    void durationWithinTheMaximumPasses() {
        assertEquals(Optional.empty(), GrantLimits.checkDuration(noBreakGlass, Duration.ofHours(4), false));
    }

    @Test
    void zeroDurationIsRefused() {
        assertEquals("max-duration", GrantLimits.checkDuration(noBreakGlass, Duration.ZERO, false).orElseThrow().rule());
    }

    @Test
    void omittedDurationGetsTheMaximum() {
        assertEquals(Duration.ofHours(4), GrantLimits.grantDuration(noBreakGlass, null, false));
        assertEquals(Duration.ofHours(1), GrantLimits.grantDuration(breakGlass, null, true));
    }

    @Test
    void breakGlassOnAPolicyThatDoesNotAllowItIsRefused() {
        assertEquals(Optional.of(new Violation("break-glass", "refused by rule break-glass: policy routers does not allow"
                + " break-glass; file a normal request and wait for approval")), GrantLimits.checkBreakGlass(noBreakGlass));
    }

    @Test
    void breakGlassWrittenAsNotAllowedIsRefused() {
        PolicyConfig off = policy("off", approval(1, teams("security")), new BreakGlassConfig(false, Duration.ofHours(1)),
                List.of());
        assertEquals("break-glass", GrantLimits.checkBreakGlass(off).orElseThrow().rule());
    }

    @Test
    void breakGlassOnAPolicyThatAllowsItPasses() {
        assertEquals(Optional.empty(), GrantLimits.checkBreakGlass(breakGlass));
    }

    @Test
    void breakGlassLongerThanItsMaximumIsRefusedEvenWithinTheApprovalMaximum() {
        assertEquals("refused by rule max-duration: policy oncall grants break-glass access for at most 1h, not 2h; ask"
                        + " for --duration 1h or less",
                GrantLimits.checkDuration(breakGlass, Duration.ofHours(2), true).orElseThrow().message());
    }
}
