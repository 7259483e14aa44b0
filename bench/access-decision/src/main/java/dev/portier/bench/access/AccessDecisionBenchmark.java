package dev.portier.bench.access;

import dev.portier.access.audit.AuditSink;
import dev.portier.access.grant.GrantSigner;
import dev.portier.access.identity.Identity;
import dev.portier.access.identity.IdentityProvider;
import dev.portier.access.policy.AccessQuery;
import dev.portier.access.policy.Decision;
import dev.portier.access.policy.PolicyEngine;
import dev.portier.access.service.AccessException;
import dev.portier.access.service.DefaultAccessService;
import dev.portier.access.service.Notifier;
import dev.portier.access.service.SessionAuthorization;
import dev.portier.access.store.AccessStore;
import dev.portier.access.store.JdbcAccessStore;
import dev.portier.config.PolicyConfig;
import dev.portier.config.PortierConfig;
import dev.portier.config.TargetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The access decision a session start waits for, on 1,000 targets, 200 policies and 10,000 active grants:
 * <ul>
 *   <li>{@code decide}: {@link PolicyEngine#decide} alone (policy match and explanation), over a mix of
 *       standing, approval-needed and no-policy queries;</li>
 *   <li>{@code authorizeStanding}: {@link DefaultAccessService#authorizeSession} permitted by a standing policy
 *       (login SoD, policy, session-start SoD with what the user holds);</li>
 *   <li>{@code authorizeGrant}: the same where the policy needs approval and an active grant is found in the
 *       store;</li>
 *   <li>{@code authorizeDenied}: the policy needs approval and no grant exists: refused, request offered.</li>
 * </ul>
 * The three service benchmarks run on each {@code store}: the embedded H2 file store the gateway uses by
 * default, H2 in memory (no file underneath), and the H2 file store behind {@link IndexedAccessStore}, an
 * in-memory index of active grants and pending requests (the proposed fix). Each walks 1,024 distinct
 * queries in turn, all checked at set-up to give the expected answer.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AccessDecisionBenchmark {
    static final long SEED = 20261125L;

    /** The estate and the policy engine: no database. */
    @State(Scope.Benchmark)
    public static class Policies {
        SyntheticEstate estate;
        Workload workload;
        PolicyEngine engine;
        AccessQuery[] queries;

        @Setup(Level.Trial)
        public void setUp() {
            long t0 = System.nanoTime();
            estate = SyntheticEstate.build(SEED);
            workload = Workload.plan(estate, SEED);
            engine = new PolicyEngine(estate.config);
            queries = workload.decideQueries.stream().map(Workload.Access::query).toArray(AccessQuery[]::new);
            System.out.printf("%n[estate] %s; planned in %d ms%n", describe(estate.config),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    /** The access service on a seeded store. */
    @State(Scope.Benchmark)
    public static class Service {
        @Param({"h2-file", "h2-mem", "h2-file+index"})
        public String store;

        DefaultAccessService service;
        Workload.Access[] standing;
        Workload.Access[] granted;
        Workload.Access[] denied;
        private AccessStore accessStore;
        private Path dir;

        @Setup(Level.Trial)
        public void setUp(Policies p) throws Exception {
            SeededStores seeds = SeededStores.prepare(p.workload, SEED);
            long prepared = System.nanoTime();
            JdbcAccessStore jdbc = switch (store) {
                case "h2-file", "h2-file+index" -> seeds.openFile(dir = Files.createTempDirectory("portier-bench-"));
                case "h2-mem" -> seeds.openMemory();
                default -> throw new IllegalArgumentException("unknown store " + store);
            };
            long seeded = System.nanoTime();
            accessStore = store.endsWith("+index") ? new IndexedAccessStore(jdbc) : jdbc;
            service = new DefaultAccessService(p.estate.config, p.engine, accessStore,
                    new Directory(p.estate.users), GrantSigner.generate(), AUDIT_NOTHING, Notifier.NONE,
                    Clock.fixed(SyntheticEstate.NOW, ZoneOffset.UTC));
            standing = check(p.workload.standingQueries, "standing",
                    a -> a.decision().permitted() && a.grant() == null);
            granted = check(p.workload.grantQueries, "grant", a -> a.decision().permitted() && a.grant() != null);
            denied = check(p.workload.denyQueries, "denied", a -> !a.decision().permitted() && a.requestable());
            System.out.printf("%n[store %s] %,d active grants, %,d ended, %,d pending requests; loaded in %d ms;"
                    + " %d/%d/%d queries standing/grant/denied, each answered as expected%n", store,
                    p.workload.granted.size(), p.workload.history.size(), p.workload.pending.size(),
                    TimeUnit.NANOSECONDS.toMillis(seeded - prepared), standing.length, granted.length, denied.length);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            accessStore.close();
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }

        private Workload.Access[] check(List<Workload.Access> queries, String kind,
                Predicate<SessionAuthorization> expected) throws AccessException {
            for (Workload.Access a : queries) {
                SessionAuthorization s = authorize(this, a);
                if (!expected.test(s)) {
                    throw new IllegalStateException(kind + " query " + a.who().user() + "@" + a.target().name() + "/"
                            + a.account() + " (" + a.channel().key() + ") was answered: " + s.decision().message());
                }
            }
            if (queries.size() < 100) {
                throw new IllegalStateException("only " + queries.size() + " " + kind + " queries");
            }
            return queries.toArray(Workload.Access[]::new);
        }
    }

    /** Walks the queries in turn, one cursor per benchmark thread. */
    @State(Scope.Thread)
    public static class Cursor {
        private int i;

        int next(int n) {
            i = i + 1 < n ? i + 1 : 0;
            return i;
        }
    }

    @Benchmark
    public Decision decide(Policies p, Cursor c) {
        return p.engine.decide(p.queries[c.next(p.queries.length)]);
    }

    @Benchmark
    public SessionAuthorization authorizeStanding(Service s, Cursor c) throws AccessException {
        return authorize(s, s.standing[c.next(s.standing.length)]);
    }

    @Benchmark
    public SessionAuthorization authorizeGrant(Service s, Cursor c) throws AccessException {
        return authorize(s, s.granted[c.next(s.granted.length)]);
    }

    @Benchmark
    public SessionAuthorization authorizeDenied(Service s, Cursor c) throws AccessException {
        return authorize(s, s.denied[c.next(s.denied.length)]);
    }

    private static SessionAuthorization authorize(Service s, Workload.Access a) throws AccessException {
        return s.service.authorizeSession(a.who(), a.target().name(), a.account(), a.channel());
    }

    /** authorizeSession writes no audit event (the gateway audits the session); refusals elsewhere would. */
    private static final AuditSink AUDIT_NOTHING = e -> { };

    /** The people of the estate; authorizeSession never looks them up, other service calls would. */
    private record Directory(Map<String, Identity> byName) implements IdentityProvider {
        Directory(List<Identity> users) {
            this(users.stream().collect(Collectors.toUnmodifiableMap(Identity::user, Function.identity())));
        }

        @Override
        public Optional<Identity> authenticateByPublicKey(String user, String openSshPublicKey) {
            return Optional.empty();
        }

        @Override
        public Optional<Identity> lookup(String user) {
            return Optional.ofNullable(byName.get(user));
        }

        @Override
        public List<Identity> all() {
            return List.copyOf(byName.values());
        }
    }

    /** Sizes worth printing next to the figures: how many policies a decision weighs. */
    static String describe(PortierConfig config) {
        long approval = config.policies().stream().filter(p -> p.approval() != null && p.approval().required())
                .count();
        int max = 0;
        long sum = 0;
        for (TargetConfig t : config.targets()) {
            int n = 0;
            for (PolicyConfig p : config.policies()) {
                if (p.targets().matches(t)) {
                    n++;
                }
            }
            sum += n;
            max = Math.max(max, n);
        }
        return String.format("%,d targets, %d policies (%d standing, %d approval), %d exclusive-access and %d"
                + " role-conflict rules; policies covering a target: mean %.1f, max %d", config.targets().size(),
                config.policies().size(), config.policies().size() - approval, approval,
                config.sod().exclusiveAccess().size(), config.sod().roleConflicts().size(),
                (double) sum / config.targets().size(), max);
    }
}
