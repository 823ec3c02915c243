package fusion.server.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import fusion.core.consent.ConsentPolicy;
import fusion.core.engine.ModelConfig;
import fusion.decisions.delivery.DeadLetter;
import fusion.decisions.delivery.DecisionBody;
import fusion.server.FusionServer;
import fusion.server.models.CustomerValueService;
import fusion.server.privacy.ConsentService;
import fusion.store.DecisionRecords;
import fusion.store.DecisionRecords.DecisionRecord;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a start does with acts the last run left {@code queued}: the rows are written by hand, as a
 * run killed at different moments would have left them, and a real loopback receiver counts what
 * arrives.
 */
class UnfinishedDeliveriesTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    @DisplayName("issue 12 item 13: at start, acts left queued are sent again under their keys unless their "
            + "delivery row shows them delivered or dead")
    @SuppressWarnings("try") // the started service re-queues and sends on its own
    void actsLeftQueuedAreSentAgainUnlessTheirDeliveryFinished() throws Exception {
        List<String> arrived = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            arrived.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Store store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            DecisionRecords records = store.decisions();
            // killed before the first attempt: queued, no delivery row
            DecisionRecord neverTried = queued(records, "d-never-tried");
            // killed between attempts: queued, the body bound and an attempt failed
            DecisionRecord between = queued(records, "d-between-attempts");
            records.bindBody(between.id(), sha256(DecisionBody.of(NextBestActions.act(between))));
            records.attempt(between.id(), 1, 503, "", NOW.minusSeconds(5));
            // killed after the receiver took it but before the decision's status was written
            DecisionRecord delivered = queued(records, "d-delivered");
            records.bindBody(delivered.id(), sha256(DecisionBody.of(NextBestActions.act(delivered))));
            records.delivered(delivered.id(), 1, NOW.minusSeconds(5));
            // killed after it was dead-lettered, before the status was written: stays a dead letter
            DecisionRecord dead = queued(records, "d-dead");
            byte[] body = DecisionBody.of(NextBestActions.act(dead));
            records.bindBody(dead.id(), sha256(body));
            new SqlDeliveryLog(records)
                    .deadLetter(new DeadLetter(
                            dead.id(),
                            fusion.core.model.Channel.MESSAGING,
                            body,
                            3,
                            500,
                            "failed 3 attempts",
                            NOW.minusSeconds(5)));

            String hooks = "{\"endpoints\":{\"messaging\":{\"url\":\"http://127.0.0.1:"
                    + receiver.getAddress().getPort()
                    + "/hook/messaging\",\"secret\":\"unfinished-secret-0123\"}},\"maxAttempts\":3,"
                    + "\"baseDelay\":\"PT0.01S\",\"maxDelay\":\"PT0.1S\"}";
            var settings = NextBestActions.Settings.of(
                    Optional.of(Webhooks.parse(hooks.getBytes(StandardCharsets.UTF_8))), false, "own");
            try (NextBestActions actions = new NextBestActions(
                            store,
                            FusionServer.pipeline(ModelConfig.defaults()),
                            new ConsentService(store, ConsentPolicy.standard(), clock),
                            CustomerValueService.once(store, clock),
                            (profile, audience) -> false,
                            clock,
                            settings)
                    .start(3600)) {
                org.awaitility.Awaitility.await("every unfinished delivery finished")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(20))
                        .untilAsserted(() -> assertThat(List.of(
                                        status(records, neverTried),
                                        status(records, between),
                                        status(records, delivered),
                                        status(records, dead)))
                                .as("statuses; arrived %s", arrived)
                                .containsExactly("delivered", "delivered", "delivered", "dead"));
            }
            assertThat(arrived).containsExactlyInAnyOrder("d-never-tried", "d-between-attempts");
            assertThat(records.delivery("d-dead").orElseThrow().status())
                    .isEqualTo(DecisionRecords.DeliveryStatus.DEAD);
        } finally {
            receiver.stop(0);
        }
    }

    private static DecisionRecord queued(DecisionRecords records, String id) {
        DecisionRecord r = new DecisionRecord(
                id,
                "ana",
                "own",
                NOW.minusSeconds(60),
                "plan-b-replacement",
                "plan_b",
                "messaging",
                "service",
                NOW.minusSeconds(60),
                DecisionRecords.Outcome.ACT,
                DecisionRecords.Status.QUEUED,
                "[{\"code\":\"action_chosen\",\"sentence\":\"hand-written\"}]");
        assertThat(records.record(r)).isTrue();
        return r;
    }

    private static String status(DecisionRecords records, DecisionRecord r) {
        return records.decision(r.id()).orElseThrow().status().label();
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }
}
