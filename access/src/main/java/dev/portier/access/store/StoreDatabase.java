package dev.portier.access.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The pool, the schema and the transaction discipline of the access store, kept apart from the SQL of requests
 * and grants. Every write runs in one transaction that commits only when the work returns normally; every
 * failure becomes a {@link StoreException} whose message names the operation, never a parameter value (the
 * cause, with the driver's detail, is kept for the log).
 */
final class StoreDatabase implements AutoCloseable {
    /** SQLSTATE of a unique or primary key violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** Work on one connection; throws to roll back. */
    interface Work<T> {
        T run(Connection c) throws SQLException, StoreException;
    }

    private final HikariDataSource pool;

    private StoreDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Opens the pool and brings the schema to the newest migration. */
    static StoreDatabase open(String jdbcUrl, String user, String password) throws StoreException {
        String where = redacted(jdbcUrl);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(jdbcUrl, user, password));
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the access database at " + where
                    + "; check that it is reachable, the credentials are right and no other process holds it", e);
        }
        try {
            Flyway.configure(StoreDatabase.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new StoreException("cannot bring the access database schema at " + where
                    + " up to date; the database was left as it was", e);
        }
        return new StoreDatabase(pool);
    }

    // The settings that decide behaviour are set here explicitly rather than left to pool defaults.
    private static HikariConfig poolConfig(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("portier-access");
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setAutoCommit(true);
        // Both databases default to it; stating it keeps the version checks' behaviour identical on both.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // Callers fail closed; an unreachable database should say so within seconds, not hang a login.
        config.setConnectionTimeout(10_000);
        config.setValidationTimeout(5_000);
        // Fail at startup when the database is unreachable rather than on the first access decision.
        config.setInitializationFailTimeout(1);
        return config;
    }

    /** Runs read-only work outside an explicit transaction (each statement sees one consistent snapshot). */
    <T> T read(String failure, Work<T> work) throws StoreException {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(failure, e);
        }
    }

    /**
     * Runs work in one transaction: committed when it returns, rolled back when it throws. Work that finds a
     * condition false half way rolls back itself before returning. The pool restores auto-commit on return.
     */
    <T> T write(String failure, Work<T> work) throws StoreException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | StoreException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(failure, e);
        }
    }

    static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    private static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** The URL without its parameters, which may carry a password ({@code ?password=}, {@code ;PASSWORD=}). */
    static String redacted(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "(no URL)";
        }
        int cut = jdbcUrl.length();
        for (char c : new char[] {'?', ';'}) {
            int at = jdbcUrl.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return jdbcUrl.substring(0, cut);
    }

    @Override
    public void close() {
        pool.close();
    }
}
