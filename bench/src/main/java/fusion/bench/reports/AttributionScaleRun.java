package fusion.bench.reports;

import fusion.analytics.attribution.Attribution;
import fusion.analytics.attribution.AttributionReport;
import fusion.analytics.attribution.MarkovAttribution;
import fusion.analytics.attribution.PathsFile;
import fusion.analytics.attribution.SyntheticPaths;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Times streaming attribution (heuristics and Markov orders 1-3) over N synthetic journeys:
 * generates them to a file, then streams the file through one {@link Attribution}, reporting
 * progress to stderr and the figures to stdout. Run with a small heap ({@code -Xmx512m}) to show
 * that memory does not grow with the number of paths.
 *
 * <pre>java -Xmx512m -cp bench/target/benchmarks.jar \
 *     fusion.bench.reports.AttributionScaleRun 10000000 [seed] [file]</pre>
 */
public final class AttributionScaleRun {

    private static final int CHANNELS = 12;
    private static final long PROGRESS_EVERY = 1_000_000;

    private AttributionScaleRun() {}

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        Path file = args.length > 2 ? Path.of(args[2]) : Files.createTempFile("fusion-paths-", ".csv");
        try {
            long t0 = System.nanoTime();
            SyntheticPaths.write(file, n, CHANNELS, seed);
            double generateSeconds = (System.nanoTime() - t0) / 1e9;
            System.err.printf(
                    Locale.ROOT,
                    "generated %,d journeys (%,d MB) in %.1f s%n",
                    n,
                    Files.size(file) >> 20,
                    generateSeconds);

            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            Attribution attribution = new Attribution(AttributionReport.orders());
            long t1 = System.nanoTime();
            PathsFile.stream(file, path -> {
                attribution.add(path);
                if (attribution.paths() % PROGRESS_EVERY == 0) {
                    System.err.printf(
                            Locale.ROOT, "  %,d paths, %.1f s%n", attribution.paths(), (System.nanoTime() - t1) / 1e9);
                }
            });
            double streamSeconds = (System.nanoTime() - t1) / 1e9;
            long t2 = System.nanoTime();
            Attribution.AttributionResult result = attribution.result();
            double solveSeconds = (System.nanoTime() - t2) / 1e9;

            System.out.printf(
                    Locale.ROOT,
                    "paths:                 %,d (%,d MB file, %d channels, seed %d)%n",
                    result.paths(),
                    Files.size(file) >> 20,
                    CHANNELS,
                    seed);
            System.out.printf(
                    Locale.ROOT,
                    "conversions:           %,d of %,d journeys%n",
                    result.conversions(),
                    result.journeys());
            System.out.printf(
                    Locale.ROOT,
                    "stream + accumulate:   %.1f s, %,.0f paths/s%n",
                    streamSeconds,
                    result.paths() / streamSeconds);
            System.out.printf(Locale.ROOT, "solve (orders 1-3):    %.2f s%n", solveSeconds);
            for (MarkovAttribution.MarkovCredit m : result.markov()) {
                System.out.printf(
                        Locale.ROOT,
                        "order %d: %,d states, %s, P(conversion) %.6f, worst residual %.1e%n",
                        m.order(),
                        m.states(),
                        m.solver(),
                        m.conversionProbability(),
                        m.worstResidual());
            }
            System.out.printf(
                    Locale.ROOT,
                    "peak heap used:        %,d MB (max heap %,d MB)%n",
                    peakHeapBytes() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf(
                    Locale.ROOT,
                    "heap live after GC:    %,d MB (the accumulator and its result)%n",
                    (rt.totalMemory() - rt.freeMemory()) >> 20);
            if (result.paths() == 0) {
                throw new IllegalStateException("no paths read");
            }
        } finally {
            if (args.length <= 2) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Sum of the heap pools' peak usage since the reset: an upper bound on the live peak. */
    private static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed())
                .sum();
    }
}
