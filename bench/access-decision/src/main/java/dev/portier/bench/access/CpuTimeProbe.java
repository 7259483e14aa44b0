package dev.portier.bench.access;

import dev.portier.access.service.AccessException;
import dev.portier.access.service.SessionAuthorization;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * For shared machines: the service calls of {@link AccessDecisionBenchmark}, timed one by one with the wall
 * clock and with the calling thread's CPU clock. When other processes hold the cores, wall-clock percentiles
 * grow while CPU time hardly moves, so the CPU-time figures estimate what an idle machine shows. CPU time
 * leaves out every moment the thread did not run (preemption, GC pauses) and includes about a microsecond of
 * clock reading per call. Not JMH: one store per JVM, set up by the benchmark's own state classes.
 *
 * <p>Usage: {@code java -cp access-decision-benchmarks.jar dev.portier.bench.access.CpuTimeProbe STORE
 * [warm-up seconds] [measured seconds]}, STORE as the benchmark's {@code store} parameter.
 */
public final class CpuTimeProbe {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Where the answers go, so the calls cannot be optimised away. */
    static volatile int consumed;

    private CpuTimeProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !THREADS.isCurrentThreadCpuTimeSupported()) {
            System.err.println("usage: CpuTimeProbe STORE [warm-up s] [measured s]; needs thread CPU time");
            System.exit(2);
        }
        long warm = args.length > 1 ? Long.parseLong(args[1]) : 3;
        long measure = args.length > 2 ? Long.parseLong(args[2]) : 5;
        AccessDecisionBenchmark.Policies policies = new AccessDecisionBenchmark.Policies();
        policies.setUp();
        AccessDecisionBenchmark.Service service = new AccessDecisionBenchmark.Service();
        service.store = args[0];
        service.setUp(policies);
        try {
            Map<String, Workload.Access[]> kinds = Map.of("authorizeStanding", service.standing,
                    "authorizeGrant", service.granted, "authorizeDenied", service.denied);
            for (String kind : List.of("authorizeDenied", "authorizeGrant", "authorizeStanding")) {
                Workload.Access[] queries = kinds.get(kind);
                time(service, queries, warm, null);
                long[][] samples = new long[2][];
                int n = time(service, queries, measure, samples);
                System.out.printf("[cpu-time] %-18s %-14s %9d  wall p50 %7.1f p99 %8.1f  cpu p50 %7.1f p99 %8.1f%n",
                        kind, service.store, n, pct(samples[0], n, 50), pct(samples[0], n, 99),
                        pct(samples[1], n, 50), pct(samples[1], n, 99));
            }
        } finally {
            service.tearDown();
        }
    }

    /** Calls in turn for {@code seconds}; with {@code out}, keeps each call's wall and CPU nanoseconds. */
    private static int time(AccessDecisionBenchmark.Service s, Workload.Access[] queries, long seconds,
            long[][] out) throws AccessException {
        long[] wall = new long[1 << 16];
        long[] cpu = new long[1 << 16];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int n = 0;
        int sink = 0;
        for (int i = 0; System.nanoTime() < end; i = i + 1 < queries.length ? i + 1 : 0) {
            Workload.Access a = queries[i];
            long c0 = THREADS.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            SessionAuthorization r = s.service.authorizeSession(a.who(), a.target().name(), a.account(), a.channel());
            long w1 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            sink += r.decision().message().length();
            if (out != null) {
                if (n == wall.length) {
                    wall = Arrays.copyOf(wall, n * 2);
                    cpu = Arrays.copyOf(cpu, n * 2);
                }
                wall[n] = w1 - w0;
                cpu[n] = c1 - c0;
                n++;
            }
        }
        consumed = sink;
        if (out != null) {
            out[0] = Arrays.copyOf(wall, n);
            out[1] = Arrays.copyOf(cpu, n);
            Arrays.sort(out[0]);
            Arrays.sort(out[1]);
        }
        return n;
    }

    /** The percentile in microseconds of sorted nanoseconds. */
    private static double pct(long[] sorted, int n, int percentile) {
        return sorted[Math.min(n - 1, (int) ((long) n * percentile / 100))] / 1000.0;
    }
}
