package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.store.Replay;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during sustained ingest: the server process dies mid-batch; after a restart every event
 * that got a 2xx is in the log exactly once, and the live state equals a full replay of the log.
 * The log's sorted indexes run in runs of 50 entries (issue 18), so the recent tables move into
 * runs and runs merge every few batches: the kill lands among those steps, and after the restart
 * the indexes hold every entry of the log once. The relationship states are written into their
 * table at 40 waiting pairs (schema v12), so the kill also lands between those writes, with states in
 * memory only, and during them: the restart writes them from the ledger, and the state still
 * equals a replay.
 */
class CrashSafetyTest {
    private static final String KEY = "crash-key";

    @TempDir
    Path data;

    @TempDir
    Path replayed;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyAcknowledgedEventSurvivesSigkillExactlyOnceAndTheStateEqualsAReplay() throws Exception {
        int port = freePort();
        Process server = start(port);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger batches = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            for (int s = 0; s < 2; s++) {
                int sender = s;
                senders.submit(() -> {
                    for (int b = 0; sending.get() && b < 10_000; b++) {
                        List<String> ids = new ArrayList<>();
                        String body = batch(sender, b, ids);
                        try {
                            HttpResponse<String> r = http.send(post(port, body), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() / 100 == 2) {
                                acknowledged.addAll(ids);
                                batches.incrementAndGet();
                            }
                        } catch (IOException e) {
                            // the server is dead: these ids were not acknowledged
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
            }
            // mid-stream: a kill before 40 acknowledged batches would prove little
            org.awaitility.Awaitility.await("40 acknowledged batches before the kill")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> batches.get() >= 40);
            server.destroyForcibly().waitFor(); // SIGKILL, mid-stream
            sending.set(false);
            // every sender finishes its request in flight (failing on the dead server) before the
            // acknowledged ids are read
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS))
                    .as("senders stopped")
                    .isTrue();
        } finally {
            senders.shutdownNow();
        }
        assertThat(batches.get()).as("batches acknowledged before the kill").isGreaterThanOrEqualTo(40);

        Process again = start(port);
        assertThat(http.send(post(port, batch(9, 0, new ArrayList<>())), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("the restarted server takes events")
                .isEqualTo(200);
        again.destroy();
        again.waitFor();

        try (SqlStore live = SqlStore.sqlite(
                        data,
                        FusionServer.pipeline(ModelConfig.defaults()),
                        fusion.store.sql.StoreSettings.defaults()
                                .withIndexRun(50)
                                .withRelationshipSnapshot(40));
                Store empty = SqlStore.sqlite(replayed, FusionServer.pipeline(ModelConfig.defaults()));
                java.sql.Connection c =
                        java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("fusion.db"))) {
            // the newest index entries were in the killed server's memory only: the start rebuilt them
            fusion.store.sql.SortedRunsCheck.assertIndexesMatchTheLog(live, c);
            List<String> logged = new ArrayList<>();
            live.forEachEvent((seq, call) -> logged.add(call.messageId()));
            Set<String> unique = new HashSet<>(logged);
            assertThat(unique).as("no event twice").hasSameSizeAs(logged);
            assertThat(unique).as("every acknowledged event").containsAll(acknowledged);
            Replay.Report report = Replay.run(live, empty, new PrintStream(new ByteArrayOutputStream()));
            assertThat(report.differences())
                    .as("live state equals a replay of the log")
                    .isEmpty();
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("fusion.db"))) {
            fusion.store.sql.SortedRunsCheck.assertIndexesMatchTheLog(c);
            assertThat(fusion.store.sql.SortedRunsCheck.rows(c, "SELECT COUNT(*) FROM index_runs WHERE level > 0"))
                    .as("runs were merged before or after the kill")
                    .doesNotContain("0");
        }
    }

    private Process start(int port) throws Exception {
        return ServerProcess.serve(
                port,
                java.util.Map.of("FUSION_WRITE_KEY", KEY, "FUSION_ADMIN_TOKEN", "crash-admin"),
                data.resolve("server.log"),
                "--data",
                data.toString(),
                "--store-index-run",
                "50",
                "--store-relationship-snapshot",
                "40");
    }

    private static HttpRequest post(int port, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                .timeout(Duration.ofSeconds(10))
                .header(
                        "Authorization",
                        "Basic " + java.util.Base64.getEncoder().encodeToString((KEY + ":").getBytes()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** Fifty calls with fresh messageIds, across a few hundred customers who merge identities. */
    private static String batch(int sender, int b, List<String> ids) {
        StringBuilder s = new StringBuilder("{\"batch\":[");
        Instant t = Instant.now().minusSeconds(3600);
        for (int i = 0; i < 50; i++) {
            String id = "s" + sender + "-b" + b + "-" + i;
            ids.add(id);
            int who = (b * 50 + i) % 300;
            if (i > 0) s.append(',');
            if (i % 10 == 0) {
                s.append("{\"type\":\"identify\",\"messageId\":\"")
                        .append(id)
                        .append("\",\"userId\":\"u")
                        .append(who)
                        .append("\",\"anonymousId\":\"a")
                        .append(who)
                        .append("\",\"timestamp\":\"")
                        .append(t)
                        .append("\"}");
            } else {
                s.append("{\"type\":\"track\",\"messageId\":\"")
                        .append(id)
                        .append("\",\"")
                        .append(i % 2 == 0 ? "userId\":\"u" : "anonymousId\":\"a")
                        .append(who)
                        .append("\",\"event\":\"Order Completed\",\"timestamp\":\"")
                        .append(t.plusSeconds(i))
                        .append("\",\"properties\":{\"brand\":\"b")
                        .append(who % 3)
                        .append("\",\"revenue\":")
                        .append(i)
                        .append("}}");
            }
        }
        return s.append("]}").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
