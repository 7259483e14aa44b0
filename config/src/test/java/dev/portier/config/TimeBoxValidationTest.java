package dev.portier.config;

import static dev.portier.config.ConfigAssertions.problem;
import static dev.portier.config.ConfigAssertions.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The time-boxed access keys of a policy: approval groups and timeouts, break-glass, windows. */
class TimeBoxValidationTest {
    /** One target on lines 1-6, so the policy starts on line 8 and the lines given start on line 11. */
    private static final String TARGET = "targets:\n" + target("rtr-1", "[admin]");

    private static String policy(String... lines) {
        StringBuilder yaml = new StringBuilder(TARGET)
                .append("policies:\n  - name: p1\n    subjects: { teams: [netops] }\n    targets: { names: [rtr-1] }\n");
        for (String line : lines) {
            yaml.append("    ").append(line).append('\n');
        }
        return yaml.toString();
    }

    private static PolicyConfig parsed(String... lines) throws ConfigException {
        return ConfigLoader.parse(policy(lines), "portier.yaml").policies().get(0);
    }

    @Test
    void newApprovalKeysAreRead() throws ConfigException {
        ApprovalConfig approval = parsed("approval: { approvers: [{ teams: [security] }], pendingTimeout: 2h, singleUse: true }")
                .approval();
        assertEquals(Duration.ofHours(2), approval.pendingTimeout());
        assertTrue(approval.singleUse());
    }

    @Test
    void countDefaultsToTheNumberOfGroups() throws ConfigException {
        assertEquals(2, parsed("approval: { approvers: [{ teams: [netops] }, { teams: [security] }] }").approval().count());
    }

    @Test
    void countBelowTheNumberOfGroupsIsRefused() {
        assertEquals("portier.yaml:11: policies[0].approval.count: must be at least 2, the number of approver groups"
                        + " (each group approves through a different person), got 1",
                problem(policy("approval: { approvers: [{ teams: [netops] }, { teams: [security] }], count: 1 }")));
    }

    @Test
    void badPendingTimeoutIsReported() {
        assertEquals("portier.yaml:11: policies[0].approval.pendingTimeout: \"soon\" is not a duration (e.g. 30s, 15m, 4h, 1d, 1h30m)",
                problem(policy("approval: { approvers: [{ teams: [security] }], pendingTimeout: soon }")));
    }

    @Test
    void unknownApprovalKeyListsTheAllowedOnes() {
        assertEquals("portier.yaml:11: policies[0].approval.quorum: unknown key; allowed keys: required, approvers, count,"
                        + " maxDuration, pendingTimeout, singleUse",
                problem(policy("approval: { approvers: [{ teams: [security] }], quorum: 2 }")));
    }

    @Test
    void breakGlassIsNotAllowedWithoutTheKey() throws ConfigException {
        PolicyConfig policy = parsed();
        assertNull(policy.breakGlass());
        assertFalse(policy.breakGlassAllowed());
    }

    @Test
    void breakGlassMaxDurationDefaultsToOneHour() throws ConfigException {
        PolicyConfig policy = parsed("breakGlass: { allowed: true }");
        assertEquals(new BreakGlassConfig(true, Duration.ofHours(1)), policy.breakGlass());
        assertTrue(policy.breakGlassAllowed());
    }

    @Test
    void breakGlassLongerThanADayIsRefused() {
        assertEquals("portier.yaml:11: policies[0].breakGlass.maxDuration: must be at most 1d, got 1d1h",
                problem(policy("breakGlass: { allowed: true, maxDuration: 25h }")));
    }

    @Test
    void breakGlassWithoutAllowedIsRefused() {
        assertEquals("portier.yaml:11: policies[0].breakGlass.allowed: is required: true lets request --break-glass grant"
                        + " at once, false forbids it",
                problem(policy("breakGlass: { maxDuration: 30m }")));
    }

    @Test
    void windowIsReadWithDaysTimesAndZone() throws ConfigException {
        WindowConfig window = parsed("windows:",
                "  - { days: [mon, Tuesday, FRI], from: \"08:00\", to: 18:00, zone: Europe/Brussels }").windows().get(0);
        assertEquals(new WindowConfig(EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.FRIDAY),
                LocalTime.of(8, 0), LocalTime.of(18, 0), ZoneId.of("Europe/Brussels")), window);
        assertEquals("mon,tue,fri 08:00-18:00 Europe/Brussels", window.describe());
    }

    @Test
    void windowWithoutDaysIsEveryDayAndMayEndAtMidnight() throws ConfigException {
        WindowConfig window = parsed("windows: [{ from: \"20:00\", to: \"24:00\", zone: UTC }]").windows().get(0);
        assertEquals(Set.of(DayOfWeek.values()), window.days());
        assertTrue(window.contains(Instant.parse("2024-05-04T23:59:59Z")));
        assertEquals(Instant.parse("2024-05-05T00:00:00Z"), window.closesAfter(Instant.parse("2024-05-04T21:00:00Z")).orElseThrow());
    }

    @Test
    void windowContainsOnlyItsDaysAndHoursInItsZone() throws ConfigException {
        WindowConfig window = parsed("windows: [{ days: [mon, tue, wed, thu, fri], from: \"08:00\", to: \"18:00\","
                + " zone: Europe/Brussels }]").windows().get(0);
        assertEquals("mon-fri 08:00-18:00 Europe/Brussels", window.describe());
        assertTrue(window.contains(Instant.parse("2024-05-06T06:00:00Z")));   // Monday 08:00 in Brussels (CEST)
        assertFalse(window.contains(Instant.parse("2024-05-06T05:59:59Z")));
        assertFalse(window.contains(Instant.parse("2024-05-06T16:00:00Z")));  // 18:00, the end is exclusive
        assertFalse(window.contains(Instant.parse("2024-05-04T10:00:00Z")));  // Saturday
    }

    @Test
    void windowFromAfterToIsRefused() {
        assertEquals("portier.yaml:11: policies[0].windows[0].to: must be after from (22:00); write a window that"
                        + " crosses midnight as two windows",
                problem(policy("windows: [{ from: \"22:00\", to: \"06:00\", zone: UTC }]")));
    }

    @Test
    void unknownTimeZoneIsRefused() {
        assertEquals("portier.yaml:11: policies[0].windows[0].zone: unknown time zone \"Europe/Brusels\"; use a region"
                        + " such as Europe/Brussels, or UTC",
                problem(policy("windows: [{ from: \"08:00\", to: \"18:00\", zone: Europe/Brusels }]")));
    }

    @Test
    void windowWithoutZoneIsRefused() {
        assertEquals("portier.yaml:11: policies[0].windows[0].zone: is required: the time zone of from and to, e.g."
                        + " Europe/Brussels or UTC",
                problem(policy("windows: [{ from: \"08:00\", to: \"18:00\" }]")));
    }

    @Test
    void badTimeOfDayIsRefused() {
        assertEquals("portier.yaml:11: policies[0].windows[0].from: \"8am\" is not a time of day as HH:MM (00:00 to 23:59)",
                problem(policy("windows: [{ from: 8am, to: \"18:00\", zone: UTC }]")));
    }

    @Test
    void unknownDayIsRefused() {
        assertEquals("portier.yaml:11: policies[0].windows[0].days[1]: unknown day \"thurs\"; allowed: mon, tue, wed, thu,"
                        + " fri, sat, sun",
                problem(policy("windows: [{ days: [mon, thurs], from: \"08:00\", to: \"18:00\", zone: UTC }]")));
    }

    @Test
    void emptyDaysAreRefused() {
        assertEquals("portier.yaml:11: policies[0].windows[0].days: must list at least one day; omit it for every day",
                problem(policy("windows: [{ days: [], from: \"08:00\", to: \"18:00\", zone: UTC }]")));
    }

    @Test
    void policiesKeepTheirWindowsInOrder() throws ConfigException {
        List<WindowConfig> windows = parsed("windows:", "  - { from: \"08:00\", to: \"12:00\", zone: UTC }",
                "  - { from: \"13:00\", to: \"17:00\", zone: UTC }").windows();
        assertEquals(List.of(LocalTime.of(8, 0), LocalTime.of(13, 0)), windows.stream().map(WindowConfig::from).toList());
    }
}
