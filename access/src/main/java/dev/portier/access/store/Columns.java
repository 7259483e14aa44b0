package dev.portier.access.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Conversions between Java values and the store's portable column types. Instants and durations are BIGINT
 * microseconds rather than TIMESTAMP so H2 and PostgreSQL behave identically (no time zones, no driver
 * differences) and an {@code Instant.now()} on Linux reads back equal; anything finer is truncated toward the
 * past, which keeps a comparison against a grant's end on the fail-closed side.
 */
final class Columns {
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]+");

    private Columns() {
    }

    static long micros(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), MICROS_PER_SECOND), t.getNano() / 1000);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("instant " + t + " is outside the range the access store keeps", e);
        }
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                Math.floorMod(micros, MICROS_PER_SECOND) * 1000L);
    }

    static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, micros(t));
        }
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : instant(value);
    }

    static void setDuration(PreparedStatement ps, int index, Duration d) throws SQLException {
        if (d == null) {
            ps.setNull(index, Types.BIGINT);
            return;
        }
        try {
            ps.setLong(index, Math.addExact(Math.multiplyExact(d.getSeconds(), MICROS_PER_SECOND), d.getNano() / 1000));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration " + d + " is outside the range the access store keeps", e);
        }
    }

    static Duration getDuration(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        if (rs.wasNull()) {
            return null;
        }
        return Duration.ofSeconds(Math.floorDiv(value, MICROS_PER_SECOND),
                Math.floorMod(value, MICROS_PER_SECOND) * 1000L);
    }

    /** The approver names of a grant as one column; the name grammar has no ',' so the join is unambiguous. */
    static String joinNames(List<String> names) {
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("approver name '" + name + "' is not a valid user name");
            }
        }
        return String.join(",", names);
    }

    static List<String> splitNames(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split(",", -1));
    }
}
