package dev.portier.access.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a real PostgreSQL server, the database several gateway nodes share. */
class PostgresAccessStoreTest extends AccessStoreContract {
    private static PostgresServer server;
    private String database;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected void freshDatabase() throws SQLException {
        database = server.createDatabase();
    }

    @Override
    protected AccessStore openStore() throws StoreException {
        return JdbcAccessStore.open(server.url(database), server.user(), null);
    }

    @Override
    protected Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(server.url(database), server.user(), null);
    }
}
