package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.TrackMessage;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment's own Java SDK, pointed at Fusion, works unchanged. */
class SegmentClientTest {
    @TempDir
    Path dir;

    @Test
    void eventsFromSegmentsJavaClientLandOnTheRightProfilesAndMoveTheScores() throws Exception {
        try (Running fusion = new Running(dir)) {
            CountDownLatch done = new CountDownLatch(5);
            AtomicInteger failures = new AtomicInteger();
            Analytics analytics = Analytics.builder(Running.WRITE_KEY)
                    .endpoint("http://127.0.0.1:" + fusion.server.port())
                    .flushQueueSize(5)
                    .callback(new Callback() {
                        @Override
                        public void success(Message message) {
                            done.countDown();
                        }

                        @Override
                        public void failure(Message message, Throwable throwable) {
                            failures.incrementAndGet();
                            done.countDown();
                        }
                    })
                    .build();
            analytics.enqueue(TrackMessage.builder("Product Viewed")
                    .anonymousId("device-1")
                    .properties(Map.of("brand", "brewline")));
            analytics.enqueue(IdentifyMessage.builder()
                    .userId("bea")
                    .anonymousId("device-1")
                    .traits(Map.of("name", "Bea")));
            analytics.enqueue(TrackMessage.builder("Membership Renewed")
                    .userId("bea")
                    .properties(Map.of("brand", "brewline", "revenue", 30)));
            analytics.enqueue(TrackMessage.builder("Ticket Resolved")
                    .userId("bea")
                    .properties(Map.of("brand", "brewline", "wow", true)));
            analytics.enqueue(AliasMessage.builder("device-1").userId("bea"));
            analytics.flush();
            assertThat(done.await(30, TimeUnit.SECONDS))
                    .as("the SDK delivered every message")
                    .isTrue();
            analytics.shutdown();
            assertThat(failures.get()).isZero();

            var profile = fusion.get("/api/profiles/device-1").body();
            assertThat(profile.get("identities").toString()).contains("user:bea", "anon:device-1");
            var rels = fusion.get("/api/profiles/bea/relationships").body();
            assertThat(rels).hasSize(1);
            assertThat(rels.get(0).get("brand").asText()).isEqualTo("brewline");
            assertThat(rels.get(0).get("events").asLong()).isEqualTo(3);
            assertThat(rels.get(0).get("fusion").asDouble()).isGreaterThan(50);
            assertThat(rels.get(0).get("ledger").toString()).contains("renewed", "wow moment");
        }
    }
}
