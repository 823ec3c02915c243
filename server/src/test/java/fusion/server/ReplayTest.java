package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.store.Replay;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replaying the log from empty rebuilds exactly the live state, field by field. */
class ReplayTest {
    @TempDir
    Path live;

    @TempDir
    Path rebuilt;

    @Test
    void replayingTheLogRebuildsTheLiveStateFieldByField() {
        try (Running fusion = new Running(live)) {
            Random random = new Random(7);
            Instant t0 = Instant.now().minusSeconds(86_400 * 30);
            for (int b = 0; b < 20; b++) {
                StringBuilder batch = new StringBuilder("{\"batch\":[");
                for (int i = 0; i < 50; i++) {
                    if (i > 0) batch.append(',');
                    batch.append(randomCall(random, b * 50 + i, t0.plusSeconds(random.nextInt(86_400 * 30))));
                }
                var reply = fusion.postJson("/v1/batch", batch.append("]}").toString());
                assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
            }
            Store liveStore = fusion.server.store();
            assertThat(liveStore.stats().ledgerEntries()).isGreaterThan(500);
            try (Store empty = SqlStore.sqlite(rebuilt, FusionServer.pipeline(ModelConfig.defaults()))) {
                ByteArrayOutputStream progress = new ByteArrayOutputStream();
                Replay.Report report =
                        Replay.run(liveStore, empty, new PrintStream(progress, true, StandardCharsets.UTF_8));
                assertThat(report.events()).isEqualTo(1000);
                assertThat(report.differences()).isEmpty();
                assertThat(report.replayed().rows()).isEqualTo(report.live().rows());
            }
        }
    }

    /** Anonymous and known users on a few brands, with identify and alias calls that merge profiles. */
    static String randomCall(Random r, int n, Instant t) {
        String anon = "a" + r.nextInt(60);
        String user = "u" + r.nextInt(40);
        String who = switch (r.nextInt(3)) {
            case 0 -> "\"anonymousId\":\"" + anon + "\"";
            case 1 -> "\"userId\":\"" + user + "\"";
            default -> "\"anonymousId\":\"" + anon + "\",\"userId\":\"" + user + "\"";
        };
        String brand = new String[] {"glitter", "brewline", "rivalwear"}[r.nextInt(3)];
        String head = "{\"messageId\":\"r" + n + "\",\"timestamp\":\"" + t + "\",";
        return switch (r.nextInt(10)) {
            case 0 -> head + "\"type\":\"identify\"," + who + ",\"traits\":{\"name\":\"N" + n + "\"}}";
            case 1 -> head + "\"type\":\"alias\",\"previousId\":\"" + anon + "\",\"userId\":\"" + user + "\"}";
            case 2 -> head + "\"type\":\"page\"," + who + ",\"name\":\"Home\"}";
            case 3 -> head + "\"type\":\"track\"," + who + ",\"event\":\"Wishlist Synced\"}";
            case 4 ->
                head + "\"type\":\"track\"," + who + ",\"event\":\"Brand Mentioned\",\"properties\":{\"brand\":\""
                        + brand + "\",\"sentiment\":-0.8,\"reach\":50000,\"consumer_politeness\":\"rude\"}}";
            default ->
                head + "\"type\":\"track\"," + who + ",\"event\":\""
                        + new String[] {
                                    "Order Completed",
                                    "Ticket Resolved",
                                    "Ticket Reopened",
                                    "Product Viewed",
                                    "Membership Renewed"
                                }
                                [r.nextInt(5)]
                        + "\",\"properties\":{\"brand\":\"" + brand + "\",\"revenue\":" + r.nextInt(200)
                        + ",\"wow\":" + r.nextBoolean() + ",\"wait_seconds\":" + r.nextInt(900)
                        + ",\"co_parties\":[\"" + new String[] {"glitter", "brewline"}[r.nextInt(2)] + "x\"]}}";
        };
    }
}
