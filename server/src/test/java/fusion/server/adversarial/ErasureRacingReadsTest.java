package fusion.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of a person racing their erasure: the reads answered from the state before the erasure
 * are audited after it, and their entries must not write the person's ids back to disk.
 */
class ErasureRacingReadsTest {
    private static final Credentials BOOT = new Credentials("wk-race", "admin-race");
    private static final String USER = "rhea-0c93d1";
    private static final String ANON = "anon-rhea-77e2fa";
    private static final String EMAIL = "rhea.morrow@example.net";

    @TempDir
    Path data;

    @Test
    @DisplayName("issue 12 item 12: reads of a person by all their ids racing the erasure leave none of their ids "
            + "in the audit log or on disk")
    void readsRacingTheErasureWriteNoIdBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, BOOT),
                SqlStore.sqlite(data, FusionServer.pipeline(ModelConfig.defaults())));
        try {
            AccessHttp http = new AccessHttp(server.port());
            Instant t0 = Instant.parse("2026-06-01T09:00:00Z");
            StringBuilder batch =
                    new StringBuilder("{\"batch\":[{\"type\":\"identify\",\"messageId\":\"r-0\",\"userId\":\""
                            + USER + "\",\"anonymousId\":\"" + ANON + "\",\"traits\":{\"email\":\"" + EMAIL
                            + "\"},\"timestamp\":\""
                            + t0 + "\"}");
            for (int i = 1; i <= 600; i++) { // others' events make the rebuild take a moment
                String who = i % 20 == 0 ? "\"userId\":\"" + USER + "\"" : "\"userId\":\"other-" + (i % 97) + "\"";
                batch.append(",{\"type\":\"track\",\"messageId\":\"r-")
                        .append(i)
                        .append("\",")
                        .append(who)
                        .append(",\"event\":\"Order Completed\",\"properties\":{\"brand\":\"glitter\",\"revenue\":")
                        .append(i % 50 + 1)
                        .append("},\"timestamp\":\"")
                        .append(t0.plusSeconds(60L * i))
                        .append("\"}");
            }
            var r = http.ingest(BOOT.writeKey(), batch.append("]}").toString());
            assertThat(r.status()).as(r.text()).isEqualTo(200);

            AtomicBoolean stop = new AtomicBoolean();
            List<Future<Integer>> readers = new ArrayList<>();
            for (String id : List.of(USER, ANON, USER + "/timeline")) {
                readers.add(pool.submit(() -> {
                    int served = 0;
                    while (!stop.get()) {
                        if (http.call("GET", "/api/profiles/" + id, BOOT.adminToken(), null)
                                        .status()
                                == 200) served++;
                    }
                    return served;
                }));
            }
            // wait (bounded) until the readers are being served, then erase under them
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (http.call("GET", "/api/audit?limit=5", BOOT.adminToken(), null)
                                    .json()
                                    .size()
                            < 3
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            var erased = http.call("DELETE", "/api/profiles/" + USER, BOOT.adminToken(), null);
            assertThat(erased.status()).as(erased.text()).isEqualTo(200);
            stop.set(true);
            int served = 0;
            for (Future<Integer> f : readers) served += f.get(30, TimeUnit.SECONDS);
            assertThat(served).as("reads were served before the erasure").isPositive();

            var audit = http.call("GET", "/api/audit?limit=10000", BOOT.adminToken(), null);
            List<String> subjects = new ArrayList<>();
            audit.json().forEach(e -> subjects.add(e.path("subject").asText()));
            assertThat(subjects).doesNotContain(USER, ANON, EMAIL);
        } finally {
            pool.shutdownNow();
            server.close();
        }
        assertThat(ErasureLeavesNoBytesTest.findings(data, List.of(USER, ANON, EMAIL)))
                .isEmpty();
    }
}
