package dev.portier.access.store;

import dev.portier.access.grant.Grant;
import dev.portier.access.grant.GrantState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of grants. Kept to single-table statements so the access-decision lookup is one indexed query
 * ({@code grants_active_lookup_ix}); the approver names ride along in one column for the same reason.
 */
final class GrantRows {
    private static final String COLUMNS = "id, request_id, user_name, target, account, policy, start_us, end_us,"
            + " state, approvers, reason, ticket, single_use, break_glass, jws, ended_by, ended_us, reviewed_by,"
            + " reviewed_us, version";
    private static final String INSERT = "INSERT INTO grants (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE grants SET request_id = ?, user_name = ?, target = ?, account = ?,"
            + " policy = ?, start_us = ?, end_us = ?, state = ?, approvers = ?, reason = ?, ticket = ?,"
            + " single_use = ?, break_glass = ?, jws = ?, ended_by = ?, ended_us = ?, reviewed_by = ?,"
            + " reviewed_us = ?, version = version + 1 WHERE id = ? AND version = ?";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM grants";
    // Half-open window [start, end), as Grant.activeAt.
    private static final String ACTIVE_AT = SELECT + " WHERE user_name = ? AND target = ? AND account = ?"
            + " AND state = 'ACTIVE' AND start_us <= ? AND end_us > ? ORDER BY start_us, id";
    private static final String ENDED_ACTIVE = SELECT + " WHERE state = 'ACTIVE' AND end_us <= ? ORDER BY end_us, id";

    private GrantRows() {
    }

    static void insert(Connection c, Grant g) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            int i = bindFields(ps, g, 1);
            ps.setString(1, g.id());
            ps.setLong(i, g.version());
            ps.executeUpdate();
        }
    }

    /** Replaces every field of a grant stored at {@code expectedVersion}; false when the version differs. */
    static boolean update(Connection c, Grant g, long expectedVersion) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            int i = bindFields(ps, g, 0);
            ps.setString(i, g.id());
            ps.setLong(i + 1, expectedVersion);
            return ps.executeUpdate() == 1;
        }
    }

    // Binds every column after id and before version, starting at parameter offset + 1; returns the next index.
    private static int bindFields(PreparedStatement ps, Grant g, int offset) throws SQLException {
        int i = offset;
        ps.setString(++i, g.requestId());
        ps.setString(++i, g.user());
        ps.setString(++i, g.target());
        ps.setString(++i, g.account());
        ps.setString(++i, g.policy());
        Columns.setInstant(ps, ++i, g.start());
        Columns.setInstant(ps, ++i, g.end());
        ps.setString(++i, g.state().name());
        ps.setString(++i, Columns.joinNames(g.approvers()));
        ps.setString(++i, g.reason());
        ps.setString(++i, g.ticket());
        ps.setBoolean(++i, g.singleUse());
        ps.setBoolean(++i, g.breakGlass());
        ps.setString(++i, g.jws());
        ps.setString(++i, g.endedBy());
        Columns.setInstant(ps, ++i, g.endedAt());
        ps.setString(++i, g.reviewedBy());
        Columns.setInstant(ps, ++i, g.reviewedAt());
        return i + 1;
    }

    static List<Grant> byId(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
            ps.setString(1, id);
            return read(ps);
        }
    }

    /** Newest start first; equal starts by id, descending. */
    static List<Grant> list(Connection c, String user, boolean activeOnly, int limit) throws SQLException {
        List<String> where = new ArrayList<>();
        if (user != null) {
            where.add("user_name = ?");
        }
        if (activeOnly) {
            where.add("state = 'ACTIVE'");
        }
        String sql = SELECT + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY start_us DESC, id DESC LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 0;
            if (user != null) {
                ps.setString(++i, user);
            }
            ps.setInt(++i, limit);
            return read(ps);
        }
    }

    static List<Grant> activeAt(Connection c, String user, String target, String account, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ACTIVE_AT)) {
            long at = Columns.micros(now);
            ps.setString(1, user);
            ps.setString(2, target);
            ps.setString(3, account);
            ps.setLong(4, at);
            ps.setLong(5, at);
            return read(ps);
        }
    }

    static List<Grant> endedActive(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ENDED_ACTIVE)) {
            ps.setLong(1, Columns.micros(now));
            return read(ps);
        }
    }

    private static List<Grant> read(PreparedStatement ps) throws SQLException {
        List<Grant> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Grant(
                        rs.getString("id"),
                        rs.getString("request_id"),
                        rs.getString("user_name"),
                        rs.getString("target"),
                        rs.getString("account"),
                        rs.getString("policy"),
                        Columns.getInstant(rs, "start_us"),
                        Columns.getInstant(rs, "end_us"),
                        GrantState.valueOf(rs.getString("state")),
                        Columns.splitNames(rs.getString("approvers")),
                        rs.getString("reason"),
                        rs.getString("ticket"),
                        rs.getBoolean("single_use"),
                        rs.getBoolean("break_glass"),
                        rs.getString("jws"),
                        rs.getString("ended_by"),
                        Columns.getInstant(rs, "ended_us"),
                        rs.getString("reviewed_by"),
                        Columns.getInstant(rs, "reviewed_us"),
                        rs.getLong("version")));
            }
        }
        return out;
    }
}
