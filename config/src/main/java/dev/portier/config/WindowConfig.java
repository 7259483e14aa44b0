package dev.portier.config;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One entry of {@code policies[].windows:}: on these days, from {@code from} (inclusive) to {@code to}
 * (exclusive), in this time zone. {@code from} is before {@code to}; a night shift is written as two windows.
 * {@code to} may be written {@code 24:00}, read as {@link LocalTime#MAX}.
 */
public record WindowConfig(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {

    public WindowConfig {
        days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a window's from (" + from + ") must be before its to (" + to + ")");
        }
    }

    /** Whether {@code now} falls inside this window, on the wall clock of {@link #zone}. */
    public boolean contains(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
    }

    /** When the window that contains {@code now} closes, or empty when {@code now} is outside it. */
    public Optional<Instant> closesAfter(Instant now) {
        if (!contains(now)) {
            return Optional.empty();
        }
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime end = to.equals(LocalTime.MAX)
                ? local.toLocalDate().plusDays(1).atStartOfDay(zone)
                : local.with(to);
        return Optional.of(end.toInstant());
    }

    /** As a person reads it, e.g. {@code mon-fri 08:00-18:00 Europe/Brussels}. */
    public String describe() {
        return describeDays() + " " + hhmm(from) + "-" + (to.equals(LocalTime.MAX) ? "24:00" : hhmm(to)) + " " + zone.getId();
    }

    private String describeDays() {
        if (days.size() == 7) {
            return "every day";
        }
        EnumSet<DayOfWeek> set = EnumSet.copyOf(days);
        DayOfWeek first = set.iterator().next();
        boolean consecutive = set.size() > 2
                && set.stream().allMatch(d -> d.getValue() - first.getValue() < set.size());
        if (consecutive) {
            return shortName(first) + "-" + shortName(first.plus(set.size() - 1L));
        }
        return set.stream().map(WindowConfig::shortName).collect(Collectors.joining(","));
    }

    static String shortName(DayOfWeek day) {
        return day.getDisplayName(TextStyle.SHORT, Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    private static String hhmm(LocalTime time) {
        return String.format(Locale.ROOT, "%02d:%02d", time.getHour(), time.getMinute());
    }
}
