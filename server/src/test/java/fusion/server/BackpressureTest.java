package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.server.access.Credentials;
import fusion.server.http.Admission;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the store cannot keep up, ingestion answers 503 with Retry-After instead of queueing
 * without bound, and takes batches again once the store catches up.
 */
class BackpressureTest {
    @TempDir
    Path dir;

    @Test
    void aStoreThatCannotKeepUpGets503WithRetryAfterNotAnUnboundedQueue() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        try (Store real = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            // the real store, made to stall on ingest until the latch opens (a disk that cannot keep up)
            Store slow = (Store) Proxy.newProxyInstance(
                    Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, method, args) -> {
                        if (method.getName().equals("ingest")) stalled.await(30, TimeUnit.SECONDS);
                        try {
                            return method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            FusionServer app = FusionServer.start(
                    FusionConfig.of("127.0.0.1", 0, new Credentials("w", "a"))
                            .withAdmission(new Admission.Limits(
                                    2,
                                    Duration.ofMillis(200),
                                    3,
                                    Admission.BODY_TIME,
                                    Admission.UNAUTHENTICATED_READS)),
                    slow);
            try {
                HttpClient http = HttpClient.newHttpClient();
                List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    replies.add(http.sendAsync(post(app.port(), "m" + i), HttpResponse.BodyHandlers.ofString()));
                }
                List<HttpResponse<String>> busy = new ArrayList<>();
                for (var r : replies) {
                    try {
                        HttpResponse<String> done = r.get(2, TimeUnit.SECONDS);
                        busy.add(done);
                    } catch (java.util.concurrent.TimeoutException stillWaiting) {
                        // one of the two admitted requests, stalled in the store
                    }
                }
                assertThat(busy).hasSizeGreaterThanOrEqualTo(6).allSatisfy(r -> {
                    assertThat(r.statusCode()).isEqualTo(503);
                    assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
                    assertThat(r.body()).contains("busy");
                });
                stalled.countDown();
                long ok = replies.stream()
                        .map(CompletableFuture::join)
                        .filter(r -> r.statusCode() == 200)
                        .count();
                assertThat(ok).isEqualTo(8 - busy.size());
                assertThat(http.send(post(app.port(), "after"), HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(200);
                assertThat(real.stats().events())
                        .as("exactly the acknowledged batches")
                        .isEqualTo(ok + 1);
            } finally {
                stalled.countDown();
                app.close();
            }
        }
    }

    private static HttpRequest post(int port, String id) {
        String body = "{\"batch\":[{\"type\":\"track\",\"messageId\":\"" + id
                + "\",\"userId\":\"u\",\"event\":\"Product Viewed\"}]}";
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("w:".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
