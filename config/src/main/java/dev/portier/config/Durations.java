package dev.portier.config;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in config and commands: {@code 30s}, {@code 15m}, {@code 4h}, {@code 1d},
 * {@code 1h30m}. Units go from days down to seconds, each at most once, so a value reads one way only.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("([0-9]{1,9})([dhms])");
    private static final List<String> UNITS = List.of("d", "h", "m", "s");
    private static final String EXAMPLES = "e.g. 30s, 15m, 4h, 1d, 1h30m";

    private Durations() {
    }

    /**
     * Parses a positive duration.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        IllegalArgumentException bad = new IllegalArgumentException(
                Problems.quote(text) + " is not a duration (" + EXAMPLES + ")");
        String value = text.strip();
        if (value.isEmpty()) {
            throw bad;
        }
        Matcher part = PART.matcher(value);
        Duration total = Duration.ZERO;
        int lastUnit = -1;
        for (int at = 0; at < value.length(); at = part.end()) {
            part.region(at, value.length());
            if (!part.lookingAt()) {
                throw bad;
            }
            int unit = UNITS.indexOf(part.group(2));
            if (unit <= lastUnit) {
                throw new IllegalArgumentException(Problems.quote(text)
                        + " is not a duration: write units from days to seconds, each once (" + EXAMPLES + ")");
            }
            lastUnit = unit;
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (unit) {
                case 0 -> Duration.ofDays(amount);
                case 1 -> Duration.ofHours(amount);
                case 2 -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            });
        }
        if (total.isZero()) {
            throw new IllegalArgumentException(Problems.quote(text) + " is not a positive duration (" + EXAMPLES + ")");
        }
        return total;
    }

    /** The shortest form {@link #parse} reads back, e.g. {@code 1h30m}; {@code 0s} for zero; sub-seconds dropped. */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds <= 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long[] sizes = {86_400, 3_600, 60, 1};
        for (int i = 0; i < sizes.length; i++) {
            if (seconds >= sizes[i]) {
                out.append(seconds / sizes[i]).append(UNITS.get(i));
                seconds %= sizes[i];
            }
        }
        return out.toString();
    }
}
