package dev.portier.access.store;

import dev.portier.access.grant.Grant;
import dev.portier.access.request.AccessRequest;
import dev.portier.access.request.Approval;
import dev.portier.access.request.RequestState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The access store on a JDBC database: an H2 file under the data directory for one node, PostgreSQL for
 * several. The same SQL runs on both. Safety across nodes comes from the database, not from this process:
 * every update is conditional on the version the caller read, a decision and its grant commit in one
 * transaction, and "one approval per person" is a unique constraint. Losing a race is an answer
 * ({@code false}), not an error.
 */
public final class JdbcAccessStore implements AccessStore {
    private final StoreDatabase db;

    private JdbcAccessStore(StoreDatabase db) {
        this.db = db;
    }

    /**
     * Opens a store on any supported JDBC URL and migrates its schema.
     *
     * @param user     null when the URL or the driver supplies it
     * @param password null when none is needed
     */
    public static JdbcAccessStore open(String jdbcUrl, String user, String password) throws StoreException {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        return new JdbcAccessStore(StoreDatabase.open(jdbcUrl, user, password));
    }

    /** Opens (creating on first use) the embedded H2 database at {@code <dataDir>/db/portier}. */
    public static JdbcAccessStore embedded(Path dataDir) throws StoreException {
        return open(embeddedUrl(dataDir), null, null);
    }

    // WRITE_DELAY=0: H2 otherwise writes commits up to 500 ms later, so a crash could undo a revocation that
    // was already reported done. DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database under
    // a gateway still ending sessions and storing their grants; the gateway closes the store in its own order,
    // and with every commit already written, a process that never closes it loses nothing.
    static String embeddedUrl(Path dataDir) throws StoreException {
        String file = dataDir.resolve("db").resolve("portier").toAbsolutePath().toString();
        if (file.indexOf(';') >= 0) {
            throw new StoreException("the data directory " + dataDir + " cannot hold the access database: its path"
                    + " contains ';'; choose another --data directory");
        }
        return "jdbc:h2:file:" + file + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    @Override
    public void insertRequest(AccessRequest request) throws StoreException {
        db.write("cannot store access request " + request.id(), c -> {
            try {
                RequestRows.insert(c, request);
            } catch (SQLException e) {
                throw duplicateOr(e, "access request " + request.id() + " already exists");
            }
            return null;
        });
    }

    @Override
    public Optional<AccessRequest> request(String id) throws StoreException {
        return db.read("cannot read access request " + id, c -> RequestRows.byId(c, id)).stream().findFirst();
    }

    @Override
    public List<AccessRequest> requests(String requester, RequestState state, int limit) throws StoreException {
        if (limit <= 0) {
            return checkedEmpty(limit);
        }
        return db.read("cannot list access requests", c -> RequestRows.list(c, requester, state, limit));
    }

    /**
     * The version is bumped before the approval is inserted: the bump takes the request's row lock, so
     * concurrent approvals of one request queue behind each other and all but one see a changed version.
     */
    @Override
    public boolean addApproval(String requestId, Approval approval, long expectedVersion) throws StoreException {
        return db.write("cannot record an approval of access request " + requestId, c -> {
            if (!RequestRows.bumpPending(c, requestId, expectedVersion)) {
                return false;
            }
            try {
                RequestRows.insertApproval(c, requestId, approval);
            } catch (SQLException e) {
                if (StoreDatabase.isUniqueViolation(e)) {
                    c.rollback();
                    return false;
                }
                throw e;
            }
            return true;
        });
    }

    /** Bumps the version of each request touched, so a concurrent decision based on the old approvals fails. */
    @Override
    public int removePendingApprovals(String approver) throws StoreException {
        return db.write("cannot withdraw the approvals of " + approver, c -> {
            try (java.sql.PreparedStatement bump = c.prepareStatement("UPDATE requests SET version = version + 1"
                    + " WHERE state = 'PENDING' AND id IN (SELECT request_id FROM approvals WHERE approver = ?)");
                    java.sql.PreparedStatement del = c.prepareStatement("DELETE FROM approvals WHERE approver = ?"
                            + " AND request_id IN (SELECT id FROM requests WHERE state = 'PENDING')")) {
                bump.setString(1, approver);
                bump.executeUpdate();
                del.setString(1, approver);
                return del.executeUpdate();
            }
        });
    }

    /**
     * Stores the decision fields of {@code decided} (state, decided by, comment, time); the request's other
     * fields are fixed at insertion. A grant that cannot be stored (say, its id exists) undoes the decision.
     */
    @Override
    public boolean decide(AccessRequest decided, long expectedVersion, Grant grant) throws StoreException {
        if (!decided.state().isFinal()) {
            throw new IllegalArgumentException("a decision must move request " + decided.id() + " to a final state");
        }
        return db.write("cannot store the decision on access request " + decided.id(), c -> {
            if (!RequestRows.decide(c, decided, expectedVersion)) {
                return false;
            }
            if (grant != null) {
                insertGrant(c, grant);
            }
            return true;
        });
    }

    @Override
    public void insertGrant(Grant grant) throws StoreException {
        db.write("cannot store grant " + grant.id(), c -> {
            insertGrant(c, grant);
            return null;
        });
    }

    private static void insertGrant(Connection c, Grant grant) throws SQLException, StoreException {
        try {
            GrantRows.insert(c, grant);
        } catch (SQLException e) {
            throw duplicateOr(e, grant.requestId() == null ? "grant " + grant.id() + " already exists"
                    : "grant " + grant.id() + " already exists, or request " + grant.requestId() + " already has one");
        }
    }

    @Override
    public Optional<Grant> grant(String id) throws StoreException {
        return db.read("cannot read grant " + id, c -> GrantRows.byId(c, id)).stream().findFirst();
    }

    /** Newest start first. */
    @Override
    public List<Grant> grants(String user, boolean activeOnly, int limit) throws StoreException {
        if (limit <= 0) {
            return checkedEmpty(limit);
        }
        return db.read("cannot list grants", c -> GrantRows.list(c, user, activeOnly, limit));
    }

    /** Earliest start first. */
    @Override
    public List<Grant> activeGrants(String user, String target, String account, Instant now) throws StoreException {
        return db.read("cannot look up the grants of " + user + " for " + target + "/" + account,
                c -> GrantRows.activeAt(c, user, target, account, now));
    }

    /** Replaces every field but the id; {@code updated.version()} is ignored, the stored one becomes expected + 1. */
    @Override
    public boolean updateGrant(Grant updated, long expectedVersion) throws StoreException {
        return db.write("cannot update grant " + updated.id(), c -> GrantRows.update(c, updated, expectedVersion));
    }

    /** Soonest expired first. */
    @Override
    public List<AccessRequest> expiredPending(Instant now) throws StoreException {
        return db.read("cannot list expired access requests", c -> RequestRows.expiredPending(c, now));
    }

    /** Soonest ended first. */
    @Override
    public List<Grant> endedActive(Instant now) throws StoreException {
        return db.read("cannot list ended grants", c -> GrantRows.endedActive(c, now));
    }

    @Override
    public void close() {
        db.close();
    }

    private static <T> List<T> checkedEmpty(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return List.of();
    }

    private static SQLException duplicateOr(SQLException e, String duplicateMessage) throws StoreException {
        if (StoreDatabase.isUniqueViolation(e)) {
            throw new StoreException(duplicateMessage, e);
        }
        return e;
    }
}
