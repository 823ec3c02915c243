package fusion.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the demo alive after the scenario: every second, a few consumers from the scenario view,
 * buy or get help at the own brands, sent through the same public API at the current time.
 */
public final class LiveTicker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] BRANDS = {"glitter", "brewline"};

    private final URI batchUri;
    private final String auth;
    private final List<String> users;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long counter;

    public LiveTicker(URI base, String writeKey, List<ObjectNode> scenario, long seed) {
        this.batchUri = base.resolve("/v1/batch");
        this.auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        this.users = scenario.stream().filter(m -> m.hasNonNull("userId")).map(m -> m.get("userId").asText())
                .distinct().sorted().toList();
        this.random = new Random(seed);
    }

    public void start() {
        if (users.isEmpty()) return;
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-live");
            t.setDaemon(true);
            return t;
        });
        s.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            ArrayNode batch = JSON.createArrayNode();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) batch.add(event());
            ObjectNode body = JSON.createObjectNode();
            body.set("batch", batch);
            HttpRequest req = HttpRequest.newBuilder(batchUri).timeout(Duration.ofSeconds(5))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            http.send(req, HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            // the demo server is going down or busy; the next tick tries again
        }
    }

    private ObjectNode event() {
        ObjectNode m = JSON.createObjectNode();
        m.put("type", "track");
        m.put("messageId", "live-" + Instant.now().toEpochMilli() + "-" + counter++);
        m.put("userId", users.get(random.nextInt(users.size())));
        m.put("timestamp", Instant.now().toString());
        ObjectNode p = m.putObject("properties");
        p.put("brand", BRANDS[random.nextInt(BRANDS.length)]);
        double roll = random.nextDouble();
        if (roll < 0.6) {
            m.put("event", "Product Viewed");
        } else if (roll < 0.85) {
            m.put("event", "Order Completed");
            p.put("revenue", Math.round(20 + random.nextDouble() * 120));
        } else {
            m.put("event", "Ticket Resolved");
            p.put("channel", "chat");
            p.put("wait_seconds", random.nextInt(600));
            if (random.nextDouble() < 0.2) p.put("wow", true);
        }
        return m;
    }
}
