package fusion.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load driver for a running Fusion server, on loopback, bounded in time: senders post Segment
 * batches of realistic, never-repeated calls to {@code /v1/batch} (optionally at a fixed total
 * rate), a reader fetches customer profiles at a fixed rate (100 reads/s: a profile's relationships,
 * through {@link PlainHttpReader}, timed from the request's write to the body's end), and the
 * server's resident memory is sampled from /proc. Prints accepted events/s, request and read
 * latency percentiles, peak RSS. SENDERS 0 reads only.
 *
 * <p>Usage: {@code LoadDriver URL WRITE_KEY ADMIN_TOKEN SECONDS SENDERS BATCH RATE READS_PER_S PID LABEL [RUN]}
 * where RATE is events/s in total (0: as fast as the server takes them) and RUN prefixes every
 * messageId (default {@code ld}): a fresh RUN per run keeps its calls new to a server that has
 * seen an earlier run's.
 */
public final class LoadDriver {
    private static final String[] BRANDS = {"glitter", "brewline", "rivalwear", "beanhouse"};
    private static final String[] EVENTS = {
        "Order Completed",
        "Ticket Resolved",
        "Product Viewed",
        "Ticket Reopened",
        "Membership Renewed",
        "Order Delivered"
    };

    /**
     * Every messageId a random UUID, as Segment's Java library and RudderStack's Node SDK send
     * them (their keys land anywhere in an index); with FUSION_BENCH_IDS=growing, RUN, the sender,
     * the batch and the call, which grow within a sender (what the driver sent before 2026-12-07).
     */
    static final boolean RANDOM_IDS = !"growing".equals(System.getenv("FUSION_BENCH_IDS"));

    /**
     * What the reader asks for, {@code %d} standing for a profile's number (0-1999): a profile's
     * relationships by default; FUSION_BENCH_READ_PATH=/health measures the floor any read has on
     * the loaded server (Jetty, the run queue, pauses), without authentication, store or audit.
     */
    static final String READ_PATH =
            System.getenv().getOrDefault("FUSION_BENCH_READ_PATH", "/api/profiles/u%d/relationships");

    /**
     * Reads through {@link PlainHttpReader} (the reading thread's own blocking connection) unless
     * FUSION_BENCH_READER=httpclient, which reads through the senders' {@code HttpClient} (what
     * the driver did before 2026-12-07).
     */
    static final boolean PLAIN_READER = !"httpclient".equals(System.getenv("FUSION_BENCH_READER"));

    /** The status a read must have to be counted: 200, or FUSION_BENCH_READ_STATUS (404 for a path no route serves). */
    static final int READ_STATUS = Integer.parseInt(System.getenv().getOrDefault("FUSION_BENCH_READ_STATUS", "200"));

    public static void main(String[] a) throws Exception {
        URI base = URI.create(a[0]);
        String auth = "Basic " + Base64.getEncoder().encodeToString((a[1] + ":").getBytes(StandardCharsets.UTF_8));
        String admin = "Bearer " + a[2];
        int seconds = Integer.parseInt(a[3]);
        int senders = Integer.parseInt(a[4]);
        int batch = Integer.parseInt(a[5]);
        double rate = Double.parseDouble(a[6]);
        double reads = Double.parseDouble(a[7]);
        long pid = Long.parseLong(a[8]);
        String label = a[9];
        String run = a.length > 10 ? a[10] : "ld";

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<Long> requestNanos = Collections.synchronizedList(new ArrayList<>());
        List<Long> readNanos = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(senders + 2);
        long[] peakRss = {0};
        pool.submit(() -> {
            while (System.nanoTime() < end) {
                peakRss[0] = Math.max(peakRss[0], rssKb(pid));
                sleep(500_000_000L);
            }
        });
        for (int s = 0; s < senders; s++) {
            int sender = s;
            pool.submit(() -> {
                long perBatchNanos = rate > 0 ? (long) (1e9 * batch * senders / rate) : 0;
                long next = System.nanoTime();
                for (int b = 0; System.nanoTime() < end; b++) {
                    if (perBatchNanos > 0) {
                        sleep(next - System.nanoTime());
                        next += perBatchNanos;
                    }
                    String body = batch(run, sender, b, batch);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(
                                HttpRequest.newBuilder(base.resolve("/v1/batch"))
                                        .timeout(Duration.ofSeconds(30))
                                        .header("Authorization", auth)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                        requestNanos.add(System.nanoTime() - t0);
                        if (r.statusCode() == 200) accepted.addAndGet(batch);
                        else refused.incrementAndGet();
                    } catch (IOException | InterruptedException e) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            });
        }
        if (reads > 0) {
            pool.submit(() -> {
                // seeded by the run: a warm-up's reads and the measured phase's pick different
                // profiles, so the measured reads are not the warm-up's repeats (the audit log
                // records the same reader reading the same person within 60 s once)
                Random r = new Random(run.hashCode());
                PlainHttpReader plain = PLAIN_READER ? new PlainHttpReader(base, admin) : null;
                long gap = (long) (1e9 / reads);
                long next = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < end) {
                    sleep(next - System.nanoTime());
                    next += gap;
                    String path = READ_PATH.replace("%d", Integer.toString(r.nextInt(2_000)));
                    long t0 = System.nanoTime();
                    try {
                        int status;
                        if (plain != null) {
                            status = plain.get(path);
                        } else {
                            status = http.send(
                                            HttpRequest.newBuilder(base.resolve(path))
                                                    .header("Authorization", admin)
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                        }
                        if (status == READ_STATUS) readNanos.add(System.nanoTime() - t0);
                    } catch (IOException | InterruptedException e) {
                        // counted as missing
                    }
                }
                if (plain != null) plain.close();
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        System.out.printf(
                "%-28s %,9.0f events/s accepted (%,d events, %d refused requests) | batch of %d: p50 %.1f ms, "
                        + "p99 %.1f ms | profile reads: %d, p50 %.2f ms, p99 %.2f ms | server peak RSS %,d MiB%n",
                label,
                accepted.get() / (double) seconds,
                accepted.get(),
                refused.get(),
                batch,
                pct(requestNanos, 50),
                pct(requestNanos, 99),
                readNanos.size(),
                pct(readNanos, 50),
                pct(readNanos, 99),
                peakRss[0] / 1024);
    }

    /** Calls of a few thousand customers, fresh messageIds, the sender and batch in the id. */
    static String batch(String run, int sender, int b, int size) {
        Random r = new Random(sender * 1_000_003L + b);
        StringBuilder s = new StringBuilder(size * 220).append("{\"batch\":[");
        Instant t = Instant.now().minusSeconds(600);
        for (int i = 0; i < size; i++) {
            if (i > 0) s.append(',');
            int who = r.nextInt(2_000);
            String id = RANDOM_IDS ? java.util.UUID.randomUUID().toString() : run + "-" + sender + "-" + b + "-" + i;
            if (r.nextInt(20) == 0) {
                s.append("{\"type\":\"identify\",\"messageId\":\"")
                        .append(id)
                        .append("\",\"userId\":\"u")
                        .append(who)
                        .append("\",\"anonymousId\":\"a")
                        .append(who)
                        .append("\",\"traits\":{\"name\":\"Person ")
                        .append(who)
                        .append("\"},\"timestamp\":\"")
                        .append(t)
                        .append("\"}");
                continue;
            }
            s.append("{\"type\":\"track\",\"messageId\":\"")
                    .append(id)
                    .append("\",\"userId\":\"u")
                    .append(who)
                    .append("\",\"event\":\"")
                    .append(EVENTS[r.nextInt(EVENTS.length)])
                    .append("\",\"timestamp\":\"")
                    .append(t.plusMillis(i))
                    .append("\",\"properties\":{\"brand\":\"")
                    .append(BRANDS[r.nextInt(4)])
                    .append("\",\"revenue\":")
                    .append(r.nextInt(150));
            if (r.nextInt(8) == 0) s.append(",\"wow\":true");
            if (r.nextInt(10) == 0) s.append(",\"wait_seconds\":").append(r.nextInt(1200));
            s.append("}}");
        }
        return s.append("]}").toString();
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | NumberFormatException e) {
            // the process is gone
        }
        return 0;
    }

    private static double pct(List<Long> nanos, int p) {
        if (nanos.isEmpty()) return Double.NaN;
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1)) / 1e6;
    }

    private static void sleep(long nanos) {
        if (nanos <= 0) return;
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LoadDriver() {}
}
