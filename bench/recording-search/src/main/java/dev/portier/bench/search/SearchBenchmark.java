package dev.portier.bench.search;

import dev.portier.recorder.RecordingMetadata;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.SessionRecorder;
import dev.portier.recorder.index.IndexKey;
import dev.portier.recorder.index.LuceneRecordingIndex;
import dev.portier.recorder.index.RecordingIndexer;
import dev.portier.recorder.index.SearchQuery;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;

/**
 * Search latency over synthetic recordings: generates them once through the real {@link RecordingStore}
 * (router, switch and server sessions of 200-500 lines, input recorded in 80 %, rare markers planted in one to
 * three recordings each), builds the index with the gateway's {@link RecordingIndexer} (reading every recording
 * through the store's export) and times searches per kind: rare texts, common words, common words with filters,
 * two-character texts, absent texts. Prints one {@code [result]} line per figure.
 *
 * <p>Usage: {@code java -jar recording-search-benchmark.jar DIR [--recordings N] [--iterations N]}
 */
public final class SearchBenchmark {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final int MARKERS = 25;

    private SearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int recordings = intArg(args, "--recordings", 10_000);
        int iterations = intArg(args, "--iterations", 300);
        Estate estate = new Estate();
        List<String> markers = generate(dir, recordings, estate);
        Path indexDir = dir.resolve("index");
        deleteTree(indexDir);

        long t0 = System.nanoTime();
        try (RecordingStore store = new RecordingStore(dir.resolve("recordings"));
                RecordingIndexer indexer = new RecordingIndexer(store,
                        LuceneRecordingIndex.open(indexDir, IndexKey.of(IndexKey.newKey())), estate::labels)) {
            RecordingIndexer.CatchUp built = indexer.catchUp(m -> System.out.println("  " + m));
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            result("build", "recordings", built.indexed());
            result("build", "seconds", buildSeconds);
            result("build", "recordings_per_s", built.indexed() / buildSeconds);
            runQueries(indexer, markers, iterations);
        }
        try (FSDirectory d = FSDirectory.open(indexDir); DirectoryReader reader = DirectoryReader.open(d)) {
            result("index", "documents", reader.numDocs());
        }
        result("index", "mib", size(indexDir) / 1048576.0);
        result("recordings", "mib", size(dir.resolve("recordings")) / 1048576.0);
    }

    private static void runQueries(RecordingIndexer indexer, List<String> markers, int iterations) throws IOException {
        Instant week = NOW.minus(Duration.ofDays(7));
        Instant month = NOW.minus(Duration.ofDays(30));
        Map<String, List<SearchQuery>> classes = new LinkedHashMap<>();
        classes.put("rare", markers.stream().map(m -> q(m, null, null, Map.of(), null)).toList());
        classes.put("rare+since30d", markers.stream().map(m -> q(m, null, null, Map.of(), month)).toList());
        classes.put("common", List.of(q("interface", null, null, Map.of(), null),
                q("systemctl", null, null, Map.of(), null),
                q("error", null, null, Map.of(), null), q("GigabitEthernet0/1", null, null, Map.of(), null),
                q("root", null, null, Map.of(), null)));
        classes.put("common+label", List.of(q("interface", null, null, Map.of("site", "bru"), null),
                q("systemctl", null, null, Map.of("kind", "server", "site", "ams"), null),
                q("error", null, null, Map.of("env", "lab"), null)));
        classes.put("common+user", List.of(q("error", "op07", null, Map.of(), null),
                q("show", "op13", null, Map.of(), null)));
        classes.put("common+target", List.of(q("interface", null, "rtr-bru-01", Map.of(), null),
                q("error", null, "srv-web-ams-01", Map.of(), null)));
        classes.put("common+since7d", List.of(q("error", null, null, Map.of(), week),
                q("interface", null, null, Map.of(), week)));
        classes.put("two-char", List.of(q("rm", null, null, Map.of(), null), q("df", null, null, Map.of(), null),
                q("ip", null, null, Map.of(), null)));
        classes.put("absent", List.of(q("zq-nomatch-1", null, null, Map.of(), null),
                q("qx7-absent", null, null, Map.of(), null)));
        classes.put("common-limit1000", List.of(new SearchQuery("error", null, null, null, Map.of(), null, 1000)));

        for (int pass = 0; pass < 3; pass++) {
            for (List<SearchQuery> qs : classes.values()) {
                for (SearchQuery q : qs) {
                    indexer.search(q);
                }
            }
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (Map.Entry<String, List<SearchQuery>> c : classes.entrySet()) {
            long[] wall = new long[iterations];
            long[] cpuTime = new long[iterations];
            long hits = 0;
            for (int i = 0; i < iterations; i++) {
                SearchQuery q = c.getValue().get(i % c.getValue().size());
                long c0 = cpu.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                hits += indexer.search(q).hits().size();
                wall[i] = System.nanoTime() - w0;
                cpuTime[i] = cpu.getCurrentThreadCpuTime() - c0;
            }
            Arrays.sort(wall);
            Arrays.sort(cpuTime);
            result("search:" + c.getKey(), "p50_ms", pct(wall, 50));
            result("search:" + c.getKey(), "p99_ms", pct(wall, 99));
            result("search:" + c.getKey(), "max_ms", wall[wall.length - 1] / 1e6);
            result("search:" + c.getKey(), "cpu_p50_ms", pct(cpuTime, 50));
            result("search:" + c.getKey(), "cpu_p99_ms", pct(cpuTime, 99));
            result("search:" + c.getKey(), "hits_avg", (double) hits / iterations);
        }
    }

    private static SearchQuery q(String text, String user, String target, Map<String, String> labels, Instant since) {
        return new SearchQuery(text, null, user, target, labels, since, SearchQuery.DEFAULT_LIMIT);
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)] / 1e6;
    }

    private static void result(String what, String metric, double value) {
        System.out.printf(Locale.ROOT, "[result] %s %s %.3f%n", what, metric, value);
    }

    /** Generates the recordings once; a later run with the same count reuses them (and their markers). */
    private static List<String> generate(Path dir, int count, Estate estate) throws Exception {
        Path manifest = dir.resolve("manifest.txt");
        if (Files.exists(manifest)) {
            List<String> lines = Files.readAllLines(manifest);
            if (lines.get(0).equals("recordings " + count)) {
                System.out.println("  reusing " + count + " recordings in " + dir);
                return lines.subList(1, lines.size());
            }
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        Random seed = new Random(20261127);
        List<String> markers = new ArrayList<>();
        Map<Integer, List<String>> planted = new LinkedHashMap<>();
        for (int i = 0; i < MARKERS; i++) {
            String marker = "incident-" + Session.hex(seed, 6);
            markers.add(marker);
            for (int k = 0; k <= seed.nextInt(3); k++) {
                planted.computeIfAbsent(seed.nextInt(count), x -> new ArrayList<>()).add(marker);
            }
        }
        long t0 = System.nanoTime();
        try (RecordingStore store = new RecordingStore(dir.resolve("recordings"))) {
            ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "generator");
                t.setDaemon(true);
                return t;
            });
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    record(store, estate, new Random(1000L + n), planted.getOrDefault(n, List.of()));
                    return null;
                }));
            }
            for (int i = 0; i < done.size(); i++) {
                done.get(i).get();
                if ((i + 1) % 1000 == 0) {
                    System.out.printf(Locale.ROOT, "  generated %d recordings (%.0f s)%n", i + 1,
                            (System.nanoTime() - t0) / 1e9);
                }
            }
            pool.shutdown();
        }
        List<String> lines = new ArrayList<>(List.of("recordings " + count));
        lines.addAll(markers);
        Files.write(manifest, lines);
        return markers;
    }

    private static void record(RecordingStore store, Estate estate, Random r, List<String> markers) throws Exception {
        Estate.Target target = estate.target(r);
        String user = estate.user(r);
        boolean input = r.nextInt(10) < 8;
        Instant start = NOW.minusSeconds(r.nextInt(90 * 86_400));
        SessionRecorder rec = store.open(new RecordingMetadata("s-" + Session.hex(r, 12), user, target.name(),
                target.network() ? "admin" : "root", "shell", null, 160, 48, "xterm-256color", start, input), e -> { });
        int lines = 200 + r.nextInt(301);
        List<Session.Step> steps = target.network() ? Session.network(r, target.name(), lines)
                : Session.server(r, target.name(), lines);
        String prompt = target.network() ? target.name() + "#" : "\u001b[01;32m" + user + "@" + target.name()
                + "\u001b[00m:\u001b[01;34m~\u001b[00m$ ";
        for (String marker : markers) {
            steps.add(r.nextInt(steps.size()), new Session.Step("echo 'ack " + marker + "'", List.of("ack " + marker)));
        }
        write(rec, prompt, false);
        for (Session.Step s : steps) {
            if (input) {
                write(rec, s.command() + "\r", true);
            }
            StringBuilder out = new StringBuilder(s.command()).append("\r\n");
            for (String line : s.output()) {
                out.append(line).append("\r\n");
            }
            write(rec, out.append(prompt).toString(), false);
        }
        write(rec, "exit\r", true);
        rec.close(0, "exit");
    }

    private static void write(SessionRecorder rec, String text, boolean input) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (input) {
            rec.input(b, 0, b.length);
        } else {
            rec.output(b, 0, b.length);
        }
    }

    private static int intArg(String[] args, String name, int dflt) {
        for (int i = 1; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return dflt;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
