package fusion.server.audiences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionServer;
import fusion.store.AudienceRecords;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("issue 16 audiences: a failed background update is retried")
class FailedUpdateRetryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static <T> T delegating(
            Class<T> type, T real, java.util.function.BiFunction<String, Object[], Object> intercept) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            Object replaced = intercept.apply(m.getName(), args);
            if (replaced != null) return replaced;
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    @Test
    @DisplayName(
            "when writing a settle's changes fails once, the stored membership catches up by itself, without waiting for another event or a read")
    void aFailedSettleIsRetried(@TempDir Path dir) throws Exception {
        AtomicInteger writes = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        try (Store real = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            AudienceRecords records = delegating(AudienceRecords.class, real.audiences(), (name, args) -> {
                // the first write of changes after the audience exists fails, as a lost connection would
                if (name.equals("record") && armed.get() && writes.incrementAndGet() == 1)
                    throw new IllegalStateException("injected: the store refused the write");
                return null;
            });
            Store store = delegating(Store.class, real, (name, args) -> name.equals("audiences") ? records : null);
            try (AudienceService audiences = new AudienceService(store, null, null, Clock.systemUTC()).start()) {
                audiences.save(
                        "buyers", null, JSON.readTree("{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":1}"));
                armed.set(true);
                Instant at = Instant.now().minusSeconds(60);
                real.ingest(List.of(new SegmentCall(
                        SegmentCall.Type.TRACK,
                        "r1",
                        "bob",
                        null,
                        "Order Completed",
                        null,
                        null,
                        null,
                        Map.of("revenue", 10),
                        Map.of(),
                        Map.of(),
                        at,
                        at)));
                await("bob's membership written to the store after the failed write")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> real.audiences()
                                .members()
                                .getOrDefault("buyers", Set.of())
                                .contains("bob"));
                assertThat(writes.get())
                        .as("the first write failed and a later one succeeded")
                        .isGreaterThanOrEqualTo(2);
            }
        }
    }
}
