package dev.portier.bench.recording;

import com.nimbusds.jose.jwk.ECKey;
import dev.portier.recorder.RecorderSettings;
import dev.portier.recorder.RecordingInfo;
import dev.portier.recorder.RecordingMetadata;
import dev.portier.recorder.RecordingStore;
import dev.portier.recorder.SessionRecorder;
import dev.portier.recorder.seal.EvidenceSigner;
import dev.portier.recorder.seal.RecordingVerifier;
import dev.portier.recorder.seal.Verdict;
import dev.portier.vault.Vault;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Prints, per run and mode, the recorder pipeline's throughput (MiB of terminal output per second, and process
 * CPU seconds per GiB), then verify and decrypting-read speed (MB of stored file per second, warm page cache).
 * Usage: {@code java -jar recording-overhead-benchmark.jar WORKDIR [--size-mib N] [--runs N] [--chunk-kib N]}.
 */
public final class RecordingOverheadBenchmark {
    private static final double MIB = 1 << 20;
    private static final List<String> MODES = List.of("none", "plain", "encrypted");

    private final Path work;
    private final EvidenceSigner signer = EvidenceSigner.generate();
    private final ECKey publicKey;
    private final VaultKeys keys;
    private final OutputFeed feed;
    private final int chunkKib;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private RecordingOverheadBenchmark(Path work, int chunkKib) throws Exception {
        this.work = work;
        this.chunkKib = chunkKib;
        this.publicKey = EvidenceSigner.parsePublicJwk(signer.publicJwk());
        this.keys = new VaultKeys(Vault.open(work.resolve("vault-data"), Optional.empty()));
        this.feed = new OutputFeed(chunkKib * 1024);
    }

    /** One measurement. */
    private record Result(String what, String mode, double seconds, double cpuSeconds, long bytes) {
        double mibPerSecond() {
            return bytes / MIB / seconds;
        }

        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }

        double cpuPerGib() {
            return cpuSeconds / (bytes / (1024 * MIB));
        }
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int sizeMib = 1024;
        int runs = 3;
        int chunkKib = 32;
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--size-mib" -> sizeMib = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--chunk-kib" -> chunkKib = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new RecordingOverheadBenchmark(work, chunkKib).run((long) sizeMib << 20, runs);
    }

    private void run(long bytes, int runs) throws Exception {
        System.out.printf("== warm-up: %d MiB per mode%n", Math.min(bytes >> 20, 256));
        for (String mode : MODES) {
            measure(mode, Math.min(bytes, 256L << 20), -1);
        }
        List<Result> all = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            System.out.printf("== run %d of %d: %d MiB of output in %d KiB chunks%n", run + 1, runs, bytes >> 20,
                    chunkKib);
            for (int m = 0; m < MODES.size(); m++) {
                // The order rotates per run, so that a noisy neighbour does not always hit the same mode.
                all.addAll(measure(MODES.get((m + run) % MODES.size()), bytes, run + 1));
            }
        }
        summary(all);
    }

    private List<Result> measure(String mode, long bytes, int run) throws Exception {
        Path dir = work.resolve("recordings-" + mode);
        List<Result> out = new ArrayList<>();
        try (RecordingStore store = new RecordingStore(dir, signer, RecorderSettings.DEFAULTS, keys,
                mode.equals("encrypted"))) {
            // A failed recording makes the next output() throw, which ends the benchmark.
            SessionRecorder recorder = mode.equals("none") ? null : store.open(meta(),
                    e -> System.err.println("the recording failed: " + e.getMessage()));
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long check = feed.feed(recorder, bytes);
            Result r = new Result("record", mode, (System.nanoTime() - t0) / 1e9,
                    (os.getProcessCpuTime() - cpu0) / 1e9, bytes);
            out.add(r);
            if (run > 0) {
                System.out.printf(Locale.ROOT, "[record] run=%d mode=%-9s %8.1f MiB/s  %6.2f CPU s/GiB  (%.2f s, check %d)%n",
                        run, mode, r.mibPerSecond(), r.cpuPerGib(), r.seconds(), check % 10);
            }
            if (recorder != null) {
                RecordingInfo info = store.list().get(0);
                Path cast = store.castFile(info.id());
                long stored = Files.size(cast);
                cpu0 = os.getProcessCpuTime();
                t0 = System.nanoTime();
                Verdict v = RecordingVerifier.verify(cast, store.chainFile(info.id()), publicKey);
                Result verify = new Result("verify", mode, (System.nanoTime() - t0) / 1e9,
                        (os.getProcessCpuTime() - cpu0) / 1e9, stored);
                if (!v.valid()) {
                    throw new IllegalStateException("the recording does not verify: " + v);
                }
                cpu0 = os.getProcessCpuTime();
                t0 = System.nanoTime();
                long plain;
                try (InputStream in = store.openPlain(info.id())) {
                    plain = in.transferTo(OutputStream.nullOutputStream());
                }
                Result read = new Result("read", mode, (System.nanoTime() - t0) / 1e9,
                        (os.getProcessCpuTime() - cpu0) / 1e9, stored);
                out.add(verify);
                out.add(read);
                if (run > 0) {
                    System.out.printf(Locale.ROOT, "[verify] run=%d mode=%-9s %8.1f MB/s   (%.2f s over %d MB stored)%n",
                            run, mode, verify.mbPerSecond(), verify.seconds(), stored / 1_000_000);
                    System.out.printf(Locale.ROOT, "[read]   run=%d mode=%-9s %8.1f MB/s   (%.2f s; %d MB of plain"
                            + " asciicast out)%n", run, mode, read.mbPerSecond(), read.seconds(), plain / 1_000_000);
                }
            }
        } finally {
            deleteTree(dir);
        }
        return out;
    }

    private static RecordingMetadata meta() {
        return new RecordingMetadata("bench", "bench", "target", "root", "exec", "cat big.txt", 0, 0, null,
                Instant.now(), false);
    }

    private static void summary(List<Result> all) {
        Map<String, List<Result>> by = new LinkedHashMap<>();
        for (Result r : all) {
            by.computeIfAbsent(r.what() + " " + r.mode(), k -> new ArrayList<>()).add(r);
        }
        System.out.println();
        System.out.println("== summary: median [min - max] over " + by.values().iterator().next().size() + " runs");
        for (Map.Entry<String, List<Result>> e : by.entrySet()) {
            List<Result> rs = e.getValue();
            boolean record = e.getKey().startsWith("record");
            List<Double> speed = rs.stream().map(r -> record ? r.mibPerSecond() : r.mbPerSecond()).sorted().toList();
            List<Double> cpu = rs.stream().map(Result::cpuPerGib).sorted().toList();
            System.out.printf(Locale.ROOT, "%-18s %8.1f [%.1f - %.1f] %s   CPU %5.2f [%.2f - %.2f] s/GiB%n",
                    e.getKey(), median(speed), speed.get(0), speed.get(speed.size() - 1), record ? "MiB/s" : "MB/s ",
                    median(cpu), cpu.get(0), cpu.get(cpu.size() - 1));
        }
        ratio(by, "record encrypted", "record plain", "encrypted vs plain recorder, throughput");
        ratio(by, "verify encrypted", "verify plain", "verify encrypted vs plain, MB/s");
        ratio(by, "read encrypted", "read plain", "decrypting read vs plain read, MB/s");
    }

    private static void ratio(Map<String, List<Result>> by, String a, String b, String label) {
        List<Result> x = by.get(a);
        List<Result> y = by.get(b);
        if (x == null || y == null) {
            return;
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            ratios.add(y.get(i).seconds() / y.get(i).bytes() / (x.get(i).seconds() / x.get(i).bytes()));
        }
        ratios.sort(Comparator.naturalOrder());
        System.out.printf(Locale.ROOT, "ratio %-44s %.2fx [%.2f - %.2f] (same run paired)%n", label, median(ratios),
                ratios.get(0), ratios.get(ratios.size() - 1));
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
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
