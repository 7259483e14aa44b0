package dev.portier.access.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portier.access.grant.GrantState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 file database a single gateway node uses. */
class H2AccessStoreTest extends AccessStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected void freshDatabase() {
        // Each test has its own temporary data directory; H2 creates the database on first open.
    }

    @Override
    protected AccessStore openStore() throws StoreException {
        return JdbcAccessStore.embedded(dataDir);
    }

    @Override
    protected Connection rawConnection() throws SQLException {
        try {
            return DriverManager.getConnection(JdbcAccessStore.embeddedUrl(dataDir));
        } catch (StoreException e) {
            throw new SQLException(e);
        }
    }

    @Test
    void databaseFileLivesUnderTheDataDirectory() {
        assertTrue(Files.isRegularFile(dataDir.resolve("db").resolve("portier.mv.db")));
    }

    @Test
    void committedRevocationSurvivesAProcessThatDiesWithoutClosingTheStore() throws Exception {
        store.close();
        store = null;
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingNode.class.getName(), dataDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("child.log").toFile())
                .start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(CrashingNode.HALT_STATUS, child.exitValue(), Files.readString(dataDir.resolve("child.log")));

        store = openStore();

        assertEquals(GrantState.REVOKED, store.grant("g-1").orElseThrow().state());
    }

    /** Another JVM that revokes a grant and halts at once: no close, no shutdown hooks. */
    static final class CrashingNode {
        static final int HALT_STATUS = 42;

        public static void main(String[] args) throws Exception {
            AccessStore store = JdbcAccessStore.embedded(Path.of(args[0]));
            store.insertGrant(StoreFixtures.grant("g-1", null));
            store.updateGrant(StoreFixtures.withState(StoreFixtures.grant("g-1", null), GrantState.REVOKED), 0);
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
