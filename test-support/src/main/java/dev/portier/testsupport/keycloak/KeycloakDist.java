package dev.portier.testsupport.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Keycloak distribution on disk: the {@code keycloak-quarkus-dist} tar.gz that Maven fetched, unpacked once
 * into a cache directory keyed by version and shared by every test run on the machine. The first server started
 * from it spends about 30 s on Quarkus' build ("augmentation"); {@link #rememberBuild} copies that build back
 * into the cache, so later runs skip it.
 *
 * <p>Each server runs from its own copy of the cache (a few hundred milliseconds), because Keycloak keeps its
 * dev database and import directory under its home: two test JVMs (two worktrees, two modules) never share one.
 * A file lock serialises the unpack and the copy-back between JVMs.
 */
final class KeycloakDist {
    /** The tar.gz, set by the module's surefire configuration (see the gateway pom). */
    static final String DIST_PROPERTY = "portier.keycloak.dist";
    /** Where unpacked versions are kept; default {@code ~/.cache/portier}. */
    static final String CACHE_PROPERTY = "portier.keycloak.cache";
    private static final String BUILT_MARKER = ".portier-built";
    private static final String UNPACKED_MARKER = ".portier-unpacked";

    private final Path home;
    private final Path lockFile;

    private KeycloakDist(Path home, Path lockFile) {
        this.home = home;
        this.lockFile = lockFile;
    }

    /** The cached, unpacked distribution of {@code version}, unpacking it first when needed. */
    static KeycloakDist cached(String version) {
        Path cache = Path.of(System.getProperty(CACHE_PROPERTY,
                Path.of(System.getProperty("user.home"), ".cache", "portier").toString()));
        Path home = cache.resolve("keycloak-" + version);
        KeycloakDist dist = new KeycloakDist(home, cache.resolve("keycloak-" + version + ".lock"));
        try {
            Files.createDirectories(cache);
            dist.locked(() -> {
                if (!Files.exists(home.resolve(UNPACKED_MARKER))) {
                    dist.unpack(tarball(version));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Keycloak distribution under " + cache, e);
        }
        return dist;
    }

    /** A fresh copy of the cached distribution at {@code target} (which must not exist), for one server. */
    Path copyTo(Path target) {
        try {
            Files.createDirectories(target.getParent());
            locked(() -> run(List.of("cp", "-a", home.toString(), target.toString())));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy Keycloak to " + target, e);
        }
    }

    /** True when the cache already holds Quarkus' build, so a copy starts without rebuilding. */
    boolean built() {
        return Files.exists(home.resolve(BUILT_MARKER));
    }

    /** After a server started from {@code started} (a copy), keeps its build in the cache for the next run. */
    void rememberBuild(Path started) {
        if (built()) {
            return;
        }
        try {
            locked(() -> {
                if (built()) {
                    return;
                }
                Path quarkus = home.resolve("lib").resolve("quarkus");
                run(List.of("rm", "-rf", quarkus.toString()));
                run(List.of("cp", "-a", started.resolve("lib").resolve("quarkus").toString(), quarkus.toString()));
                Files.writeString(home.resolve(BUILT_MARKER), "built by a Portier test run\n");
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep Keycloak's build in " + home, e);
        }
    }

    private static Path tarball(String version) {
        String configured = System.getProperty(DIST_PROPERTY);
        Path file = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "keycloak",
                        "keycloak-quarkus-dist", version, "keycloak-quarkus-dist-" + version + ".tar.gz");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the Keycloak distribution " + file + " is missing; run the tests through"
                    + " Maven (mvn -B -pl gateway -am verify), which downloads org.keycloak:keycloak-quarkus-dist:"
                    + version + ":tar.gz");
        }
        return file;
    }

    private void unpack(Path tarball) throws IOException {
        Path staging = home.resolveSibling(home.getFileName() + ".unpacking");
        run(List.of("rm", "-rf", staging.toString(), home.toString()));
        Files.createDirectories(staging);
        run(List.of("tar", "-xzf", tarball.toString(), "-C", staging.toString(), "--strip-components=1"));
        Files.writeString(staging.resolve(UNPACKED_MARKER), tarball + "\n");
        Files.move(staging, home);
    }

    private interface Step {
        void run() throws IOException;
    }

    @SuppressWarnings("try") // the resource is held, not used
    private void locked(Step step) throws IOException {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            step.run();
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read to the end first: a full pipe would otherwise stall the command (cp and tar say little anyway).
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed with " + p.exitValue() + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
