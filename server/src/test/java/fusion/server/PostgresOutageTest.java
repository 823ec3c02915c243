package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.server.access.Credentials;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The server on PostgreSQL while the database goes away and comes back: requests get 503 with
 * Retry-After and a clear message, the server stays up, ingestion resumes by itself, and every
 * acknowledged event is there exactly once.
 */
class PostgresOutageTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aLostDatabaseGives503AndIngestionResumesWhenItReturns() throws Exception {
        var maybe = PostgresServer.shared();
        if (!PostgresServer.required()) Assumptions.assumeTrue(maybe.isPresent(), "PostgreSQL is not installed");
        PostgresServer pg = maybe.orElseThrow();
        var url = pg.newDatabase();
        try (FusionServer fusion = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials("w", "a")),
                SqlStore.postgres(url, FusionServer.pipeline(ModelConfig.defaults()), true))) {
            assertThat(post(fusion, "a").statusCode()).isEqualTo(200);

            pg.stop();
            try {
                HttpResponse<String> down = post(fusion, "b");
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.headers().firstValue("Retry-After")).isPresent();
                assertThat(down.body()).contains("the store is unavailable");
                assertThat(post(fusion, "b").statusCode())
                        .as("still down, still answering")
                        .isEqualTo(503);
            } finally {
                pg.restart();
            }
            HttpResponse<String> back = post(fusion, "b");
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
            assertThat(post(fusion, "a").body()).contains("\"duplicates\":2");

            HttpResponse<String> timeline = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + fusion.port() + "/api/profiles/ana/timeline"))
                            .header("Authorization", "Bearer a")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(timeline.body()).contains("\"a-1\"", "\"a-2\"", "\"b-1\"", "\"b-2\"");
            assertThat(fusion.store().stats().events()).isEqualTo(4);
        }
    }

    private HttpResponse<String> post(FusionServer fusion, String batch) throws Exception {
        String t = Instant.now().minusSeconds(30).toString();
        String body = "{\"batch\":[{\"type\":\"track\",\"messageId\":\"" + batch + "-1\",\"userId\":\"ana\","
                + "\"event\":\"Order Completed\",\"timestamp\":\"" + t + "\",\"properties\":{\"revenue\":10}},"
                + "{\"type\":\"track\",\"messageId\":\"" + batch
                + "-2\",\"userId\":\"ana\",\"event\":\"Ticket Resolved\","
                + "\"timestamp\":\"" + t + "\"}]}";
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fusion.port() + "/v1/batch"))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("w:".getBytes()))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
