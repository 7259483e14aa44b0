package dev.portier.access.store;

import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of requests and approvals. A request is read together with its approvals in one statement, so a
 * reader never sees a version without the approval that produced it.
 */
final class RequestRows {
    private static final String COLUMNS = "id, requester, realm, target, account, policy, reason, ticket, duration_us,"
            + " start_us, created_us, expires_us, state, single_use, break_glass, decided_by, decision_comment,"
            + " decided_us, version";
    private static final String INSERT = "INSERT INTO requests (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_APPROVAL =
            "INSERT INTO approvals (request_id, approver, approved_us, approval_comment) VALUES (?, ?, ?, ?)";
    private static final String BUMP_PENDING =
            "UPDATE requests SET version = version + 1 WHERE id = ? AND version = ? AND state = 'PENDING'";
    private static final String DECIDE = "UPDATE requests SET state = ?, decided_by = ?, decision_comment = ?,"
            + " decided_us = ?, version = version + 1 WHERE id = ? AND version = ? AND state = 'PENDING'";
    /** Requests (already filtered, ordered and limited in {@code r}) with their approvals in approval order. */
    private static final String WITH_APPROVALS = "SELECT r.*, a.approver, a.approved_us, a.approval_comment FROM (%s) r"
            + " LEFT JOIN approvals a ON a.request_id = r.id ORDER BY %s, a.seq";
    private static final String NEWEST_FIRST = "created_us DESC, id DESC";

    private RequestRows() {
    }

    static void insert(Connection c, AccessRequest r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            int i = 0;
            ps.setString(++i, r.id());
            ps.setString(++i, r.requester());
            ps.setString(++i, r.realm());
            ps.setString(++i, r.target());
            ps.setString(++i, r.account());
            ps.setString(++i, r.policy());
            ps.setString(++i, r.reason());
            ps.setString(++i, r.ticket());
            Columns.setDuration(ps, ++i, r.duration());
            Columns.setInstant(ps, ++i, r.start());
            Columns.setInstant(ps, ++i, r.created());
            Columns.setInstant(ps, ++i, r.expires());
            ps.setString(++i, r.state().name());
            ps.setBoolean(++i, r.singleUse());
            ps.setBoolean(++i, r.breakGlass());
            ps.setString(++i, r.decidedBy());
            ps.setString(++i, r.comment());
            Columns.setInstant(ps, ++i, r.decidedAt());
            ps.setLong(++i, r.version());
            ps.executeUpdate();
        }
        for (Approval a : r.approvals()) {
            insertApproval(c, r.id(), a);
        }
    }

    static void insertApproval(Connection c, String requestId, Approval a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_APPROVAL)) {
            ps.setString(1, requestId);
            ps.setString(2, a.approver());
            Columns.setInstant(ps, 3, a.time());
            ps.setString(4, a.comment());
            ps.executeUpdate();
        }
    }

    /** Bumps the version of a request that is still pending at {@code expectedVersion}; false when it is not. */
    static boolean bumpPending(Connection c, String id, long expectedVersion) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BUMP_PENDING)) {
            ps.setString(1, id);
            ps.setLong(2, expectedVersion);
            return ps.executeUpdate() == 1;
        }
    }

    /** Stores the decision of a request still pending at {@code expectedVersion}; false when it is not. */
    static boolean decide(Connection c, AccessRequest decided, long expectedVersion) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DECIDE)) {
            ps.setString(1, decided.state().name());
            ps.setString(2, decided.decidedBy());
            ps.setString(3, decided.comment());
            Columns.setInstant(ps, 4, decided.decidedAt());
            ps.setString(5, decided.id());
            ps.setLong(6, expectedVersion);
            return ps.executeUpdate() == 1;
        }
    }

    static List<AccessRequest> byId(Connection c, String id) throws SQLException {
        String sql = WITH_APPROVALS.formatted("SELECT " + COLUMNS + " FROM requests WHERE id = ?", "r.id");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            return read(ps);
        }
    }

    static List<AccessRequest> list(Connection c, String requester, RequestState state, int limit) throws SQLException {
        List<String> where = new ArrayList<>();
        if (requester != null) {
            where.add("requester = ?");
        }
        if (state != null) {
            where.add("state = ?");
        }
        String inner = "SELECT " + COLUMNS + " FROM requests"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY " + NEWEST_FIRST + " LIMIT ?";
        String sql = WITH_APPROVALS.formatted(inner, "r.created_us DESC, r.id DESC");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 0;
            if (requester != null) {
                ps.setString(++i, requester);
            }
            if (state != null) {
                ps.setString(++i, state.name());
            }
            ps.setInt(++i, limit);
            return read(ps);
        }
    }

    /** Pending requests whose expiry is at or before {@code now}, soonest expired first. */
    static List<AccessRequest> expiredPending(Connection c, Instant now) throws SQLException {
        String inner = "SELECT " + COLUMNS + " FROM requests WHERE state = 'PENDING' AND expires_us <= ?";
        String sql = WITH_APPROVALS.formatted(inner, "r.expires_us, r.id");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, Columns.micros(now));
            return read(ps);
        }
    }

    // Rows arrive grouped by request (the ORDER BY puts a request's approvals together), one row per approval.
    private static List<AccessRequest> read(PreparedStatement ps) throws SQLException {
        List<AccessRequest> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            AccessRequest current = null;
            List<Approval> approvals = new ArrayList<>();
            while (rs.next()) {
                if (current == null || !current.id().equals(rs.getString("id"))) {
                    if (current != null) {
                        out.add(withApprovals(current, approvals));
                    }
                    current = request(rs);
                    approvals = new ArrayList<>();
                }
                String approver = rs.getString("approver");
                if (approver != null) {
                    approvals.add(new Approval(approver, Columns.getInstant(rs, "approved_us"),
                            rs.getString("approval_comment")));
                }
            }
            if (current != null) {
                out.add(withApprovals(current, approvals));
            }
        }
        return out;
    }

    private static AccessRequest request(ResultSet rs) throws SQLException {
        return new AccessRequest(
                rs.getString("id"),
                rs.getString("requester"),
                rs.getString("realm"),
                rs.getString("target"),
                rs.getString("account"),
                rs.getString("policy"),
                rs.getString("reason"),
                rs.getString("ticket"),
                Columns.getDuration(rs, "duration_us"),
                Columns.getInstant(rs, "start_us"),
                Columns.getInstant(rs, "created_us"),
                Columns.getInstant(rs, "expires_us"),
                RequestState.valueOf(rs.getString("state")),
                rs.getBoolean("single_use"),
                rs.getBoolean("break_glass"),
                List.of(),
                rs.getString("decided_by"),
                rs.getString("decision_comment"),
                Columns.getInstant(rs, "decided_us"),
                rs.getLong("version"));
    }

    private static AccessRequest withApprovals(AccessRequest r, List<Approval> approvals) {
        return new AccessRequest(r.id(), r.requester(), r.realm(), r.target(), r.account(), r.policy(), r.reason(),
                r.ticket(), r.duration(), r.start(), r.created(), r.expires(), r.state(), r.singleUse(),
                r.breakGlass(), approvals, r.decidedBy(), r.comment(), r.decidedAt(), r.version());
    }
}
