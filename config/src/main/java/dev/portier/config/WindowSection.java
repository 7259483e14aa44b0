package dev.portier.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds {@code policies[].windows:}: days, {@code HH:MM} times and a time zone per window. */
final class WindowSection {
    static final List<String> WINDOW_KEYS = List.of("days", "from", "to", "zone");
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final String END_OF_DAY = "24:00";

    private WindowSection() {
    }

    static List<WindowConfig> bind(List<YamlMap> entries, Problems problems) {
        List<WindowConfig> windows = new ArrayList<>();
        for (YamlMap entry : entries) {
            Set<DayOfWeek> days = days(entry, problems);
            Optional<LocalTime> from = time(entry, "from", false, problems);
            Optional<LocalTime> to = time(entry, "to", true, problems);
            Optional<ZoneId> zone = zone(entry, problems);
            if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
                problems.add(entry.lineOf("to"), entry.keyPath("to"), "must be after from (" + from.get()
                        + "); write a window that crosses midnight as two windows");
            } else if (from.isPresent() && to.isPresent() && zone.isPresent() && !days.isEmpty()) {
                windows.add(new WindowConfig(days, from.get(), to.get(), zone.get()));
            }
        }
        return windows;
    }

    private static Set<DayOfWeek> days(YamlMap entry, Problems problems) {
        if (!entry.has("days")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        boolean bad = false;
        for (Located day : entry.strings("days")) {
            Optional<DayOfWeek> parsed = day(day.value());
            if (parsed.isPresent()) {
                days.add(parsed.get());
            } else {
                bad = true;
                problems.add(day, "unknown day " + Problems.quote(day.value()) + "; allowed: "
                        + String.join(", ", Arrays.stream(DayOfWeek.values()).map(WindowConfig::shortName).toList()));
            }
        }
        if (days.isEmpty() && !bad && entry.isList("days")) {
            problems.add(entry.lineOf("days"), entry.keyPath("days"), "must list at least one day; omit it for every day");
        }
        return bad ? EnumSet.noneOf(DayOfWeek.class) : days;
    }

    /** {@code mon} or {@code monday}, any case. */
    private static Optional<DayOfWeek> day(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (lower.equals(WindowConfig.shortName(d)) || lower.equals(d.name().toLowerCase(Locale.ROOT))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    private static Optional<LocalTime> time(YamlMap entry, String key, boolean end, Problems problems) {
        if (!entry.has(key)) {
            entry.missing(key, ": a time as HH:MM, e.g. \"" + (end ? "18:00" : "08:00") + "\"");
            return Optional.empty();
        }
        return entry.string(key).flatMap(t -> {
            if (end && t.value().equals(END_OF_DAY)) {
                return Optional.of(LocalTime.MAX);
            }
            if (TIME.matcher(t.value()).matches()) {
                return Optional.of(LocalTime.parse(t.value()));
            }
            problems.add(t, Problems.quote(t.value()) + " is not a time of day as HH:MM (00:00 to 23:59"
                    + (end ? ", or 24:00" : "") + ")");
            return Optional.empty();
        });
    }

    private static Optional<ZoneId> zone(YamlMap entry, Problems problems) {
        if (!entry.has("zone")) {
            entry.missing("zone", ": the time zone of from and to, e.g. Europe/Brussels or UTC");
            return Optional.empty();
        }
        return entry.string("zone").flatMap(z -> {
            try {
                return Optional.of(ZoneId.of(z.value()));
            } catch (DateTimeException e) {
                problems.add(z, "unknown time zone " + Problems.quote(z.value()) + "; use a region such as Europe/Brussels, or UTC");
                return Optional.empty();
            }
        });
    }
}
