package fusion.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the demo alive after the scenario, at the scenario's own pace: calls drawn from the
 * scenario's everyday calls (views, searches, orders, deliveries, tickets, renewals, at every
 * brand), stamped now, sent through the same public API. They arrive as a Poisson stream whose
 * rate is the scenario's average calls per day, so a day of live ticking looks like an average
 * day of the scenario (money included) and today's bar does not outgrow the concert's.
 */
public final class LiveTicker {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The story's one-off moments: replayed at random they would tell a false story. */
    private static final Set<String> ONE_OFF = Set.of(
            "Event Attended",
            "Product Worn",
            "Brand Mentioned",
            // an idea is said once, voted once per person, and its status is the brand's (docs/IDEAS.md)
            "Idea Submitted",
            "Idea Voted",
            "Idea Status Changed");

    private static final Set<String> EVERYDAY_TYPES = Set.of("track", "page", "screen");

    private final URI batchUri;
    private final String auth;
    private final List<ObjectNode> pool;
    private final double perSecond;
    private final Random random;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long counter;

    /** The next live call and how long to wait before sending it. */
    record Step(Duration delay, ObjectNode call) {}

    public LiveTicker(URI base, String writeKey, List<ObjectNode> scenario, long seed) {
        this.batchUri = base.resolve("/v1/batch");
        this.auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        this.pool = scenario.stream().filter(LiveTicker::everyday).toList();
        // the scenario's span, from its first call to its last: its own days, whatever the count
        double seconds = scenario.isEmpty()
                ? 0
                : Duration.between(time(scenario.get(0)), time(scenario.get(scenario.size() - 1)))
                        .toSeconds();
        this.perSecond = seconds <= 0 ? 0 : pool.size() / seconds;
        this.random = new Random(seed);
    }

    /** Live calls a day, on average: the scenario's everyday calls per day. */
    public double perDay() {
        return perSecond * 86_400;
    }

    public void start() {
        if (pool.isEmpty() || perSecond <= 0) return;
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-live");
            t.setDaemon(true);
            return t;
        });
        schedule(s, next(Instant.now()));
    }

    private void schedule(ScheduledExecutorService s, Step step) {
        s.schedule(
                () -> {
                    send(step.call().put("timestamp", Instant.now().toString()));
                    schedule(s, next(Instant.now()));
                },
                step.delay().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * The next call, stamped {@code now} (the sender restamps it when it goes), after an
     * exponential wait of mean {@code 1 / perSecond}: a Poisson stream at the scenario's rate.
     */
    Step next(Instant now) {
        double wait = -Math.log(1 - random.nextDouble()) / perSecond;
        ObjectNode m = pool.get(random.nextInt(pool.size())).deepCopy();
        String id = "live-" + now.toEpochMilli() + "-" + counter++;
        m.put("messageId", id);
        m.put("timestamp", now.toString());
        m.remove("sentAt");
        if (m.path("properties").has("order_id")) ((ObjectNode) m.get("properties")).put("order_id", "L-" + id);
        return new Step(Duration.ofNanos((long) (wait * 1e9)), m);
    }

    private void send(ObjectNode call) {
        try {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("batch").add(call);
            HttpRequest req = HttpRequest.newBuilder(batchUri)
                    .timeout(Duration.ofSeconds(5))
                    .header("Authorization", auth)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            http.send(req, HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            // the demo server is going down or busy; the next call tries again
        }
    }

    private static boolean everyday(ObjectNode m) {
        return EVERYDAY_TYPES.contains(m.path("type").asText())
                && !ONE_OFF.contains(m.path("event").asText())
                && !m.path("properties").has("co_parties")
                && !m.path("properties").has("suggestion");
    }

    private static Instant time(ObjectNode m) {
        return Instant.parse(m.get("timestamp").asText());
    }
}
