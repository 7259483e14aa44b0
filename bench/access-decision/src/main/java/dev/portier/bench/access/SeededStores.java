package dev.portier.bench.access;

import dev.portier.access.store.JdbcAccessStore;
import dev.portier.access.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

/**
 * Seeding 20,000 grants through the store takes far longer than a benchmark fork should (each one a few
 * transactions, and H2 writes every commit at once). So the first fork seeds a template H2 file through the
 * store's API and dumps it as SQL; every fork after that copies the file (the {@code h2-file} variants, which
 * then open it exactly as the gateway does) or loads the dump into a fresh in-memory database ({@code h2-mem}).
 * The template lives in {@code $PORTIER_BENCH_SEED_DIR} (the run script points it at its work directory),
 * under a name derived from the workload, so a changed workload never meets a stale template.
 */
final class SeededStores {
    static final String DIR_ENV = "PORTIER_BENCH_SEED_DIR";

    private final Path template;

    private SeededStores(Path template) {
        this.template = template;
    }

    /** The template for this workload, seeded now unless an earlier fork already did. */
    static SeededStores prepare(Workload w, long seed) throws IOException, SQLException, StoreException {
        String env = System.getenv(DIR_ENV);
        Path root = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("java.io.tmpdir"), "portier-bench-seed");
        Path template = root.resolve("seed-" + fingerprint(w, seed));
        if (!Files.exists(template.resolve("seed.sql"))) {
            Path building = Files.createDirectories(root).resolve(template.getFileName() + ".building-"
                    + ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            // Commits are not written one by one while seeding; the benchmark opens the result with the
            // gateway's own settings.
            String url = "jdbc:h2:file:" + building.resolve("db").resolve("portier").toAbsolutePath()
                    + ";WRITE_DELAY=500";
            try (JdbcAccessStore store = JdbcAccessStore.open(url, null, null)) {
                new StoreSeeder(store, seed).seed(w);
            }
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("SCRIPT TO '" + building.resolve("seed.sql").toAbsolutePath() + "'");
            }
            Files.move(building, template, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("%n[seed] template seeded through the store in %d ms: %s%n",
                    (System.nanoTime() - t0) / 1_000_000, template);
        }
        return new SeededStores(template);
    }

    /** A copy of the template in {@code dataDir}, opened as the gateway opens its embedded store. */
    JdbcAccessStore openFile(Path dataDir) throws IOException, StoreException {
        Path db = Files.createDirectories(dataDir.resolve("db"));
        Files.copy(template.resolve("db").resolve("portier.mv.db"), db.resolve("portier.mv.db"));
        return JdbcAccessStore.embedded(dataDir);
    }

    /** A fresh in-memory H2 database loaded from the template's dump. */
    JdbcAccessStore openMemory() throws SQLException, StoreException {
        String url = "jdbc:h2:mem:portier-bench-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("RUNSCRIPT FROM '" + template.resolve("seed.sql").toAbsolutePath() + "'");
        }
        return JdbcAccessStore.open(url, null, null);
    }

    private static String fingerprint(Workload w, long seed) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
            for (List<Workload.Access> rows : List.of(w.granted, w.history, w.pending)) {
                md.update((byte) '|');
                for (Workload.Access a : rows) {
                    md.update((a.who().user() + ' ' + a.target().name() + ' ' + a.account() + ' ' + a.policy().name()
                            + '\n').getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
