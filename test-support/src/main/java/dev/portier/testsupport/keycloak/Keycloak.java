package dev.portier.testsupport.keycloak;

import dev.portier.testsupport.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak server for the tests of one JVM: the official {@code keycloak-quarkus-dist}, started once with
 * {@code kc.sh start-dev} on free loopback ports, the realm files under the class-path directory {@value #REALMS}
 * ({@code *-realm.json}) imported, and stopped when the JVM exits. Keep every test that needs it in one Maven
 * module, so one server serves the whole run.
 *
 * <pre>{@code
 * Keycloak kc = Keycloak.shared();                       // starts it on first use (about a minute)
 * String url = kc.url();                                 // http://127.0.0.1:PORT
 * String token = kc.tokens().password("employees", "portier", "kate", "pw", Totp.now(secret)).accessToken();
 * }</pre>
 *
 * <p>Thread-safe: {@link #shared()} is synchronized and the server is read-only from the fixture's side.
 */
public final class Keycloak {
    public static final String VERSION = "26.7.3";
    /** The class-path directory holding the realm files to import. */
    public static final String REALMS = "keycloak";
    /** The bootstrap administrator of the {@code master} realm (client {@code admin-cli}, password grant). */
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "portier-test-admin";
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);
    private static Keycloak shared;

    private final Path home;
    private final int port;
    private final Process process;
    private final List<String> realms;
    private final KeycloakTokens tokens;

    private Keycloak(Path home, int port, Process process, List<String> realms) {
        this.home = home;
        this.port = port;
        this.process = process;
        this.realms = List.copyOf(realms);
        this.tokens = new KeycloakTokens(url());
    }

    /** The server of this JVM, started on first call; later calls return it at once. */
    public static synchronized Keycloak shared() {
        if (shared == null) {
            shared = start(realmFiles());
            Keycloak started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "keycloak-stop"));
        }
        return shared;
    }

    /** {@code http://127.0.0.1:PORT}: the base URL; issuers are {@code <url>/realms/<name>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The {@code iss} of tokens from {@code realm}. */
    public String issuer(String realm) {
        return url() + "/realms/" + realm;
    }

    /** The realms imported, by name. */
    public List<String> realms() {
        return realms;
    }

    /** Token requests against this server (password, client credentials, device flow). */
    public KeycloakTokens tokens() {
        return tokens;
    }

    /** Where the server's log goes, for failure messages. */
    public Path log() {
        return home.resolve("keycloak.log");
    }

    /** The last lines of the server's log. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static List<Path> realmFiles() {
        URL dir = Keycloak.class.getClassLoader().getResource(REALMS);
        if (dir == null || !"file".equals(dir.getProtocol())) {
            throw new IllegalStateException("no directory '" + REALMS + "' with *-realm.json files on the test class path");
        }
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            List<Path> realms = files.filter(f -> f.getFileName().toString().endsWith("-realm.json")).sorted().toList();
            if (realms.isEmpty()) {
                throw new IllegalStateException("no *-realm.json file in " + dir);
            }
            return realms;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Keycloak start(List<Path> realmFiles) {
        KeycloakDist dist = KeycloakDist.cached(VERSION);
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "portier-keycloak-" + ProcessHandle.current().pid());
        Path home = dist.copyTo(work);
        int port = FreePort.find();
        List<String> names = new ArrayList<>();
        Process process;
        try {
            Path imports = Files.createDirectories(home.resolve("data").resolve("import"));
            for (Path f : realmFiles) {
                Files.copy(f, imports.resolve(f.getFileName()));
                names.add(f.getFileName().toString().replace("-realm.json", ""));
            }
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin").resolve("kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port,
                    // The management interface defaults to 9000: a second server on the machine would collide.
                    "--http-management-port=" + FreePort.find(), "--import-realm")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("keycloak.log").toFile());
            pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
            pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Keycloak from " + home, e);
        }
        Keycloak kc = new Keycloak(home, port, process, names);
        try {
            kc.awaitReady();
        } catch (RuntimeException e) {
            kc.stop();
            throw e;
        }
        dist.rememberBuild(home);
        return kc;
    }

    /** Ready when every imported realm publishes its OpenID configuration. */
    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        List<String> waiting = new ArrayList<>(realms);
        while (!waiting.isEmpty()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Keycloak did not serve realms " + waiting + " within "
                        + STARTUP_TIMEOUT.toMinutes() + " minutes:\n" + logTail());
            }
            String realm = waiting.get(0);
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                        URI.create(issuer(realm) + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    waiting.remove(0);
                    continue;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            sleep(500);
        }
    }

    /**
     * Stops the server: SIGTERM to the Java process that {@code kc.sh} started (ending the script alone leaves
     * it running), then to the script; forcibly after 20 s. Removes the server's copy of the distribution.
     */
    void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle h : Stream.concat(children.stream(), Stream.of(process.toHandle())).toList()) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        try {
            new ProcessBuilder("rm", "-rf", home.toString()).start().waitFor(1, TimeUnit.MINUTES);
        } catch (IOException e) {
            // Only a temporary copy is left behind.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
