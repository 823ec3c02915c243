package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.ModelConfig;
import fusion.server.access.Credentials;
import fusion.server.plan.PlanFile;
import fusion.store.sql.SqlStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracking plan at the ingest edge, one source per mode, through a real server. */
class TrackingPlanModesTest {
    static final String PLAN = "{\"defaultMode\":\"flag\",\"sources\":{\"shop\":\"block\",\"legacy\":\"allow\"},"
            + "\"events\":[{\"name\":\"Order Completed\",\"purpose\":\"purchase\",\"need\":\"met\","
            + "\"properties\":{\"order_id\":{\"type\":\"string\",\"required\":true},\"revenue\":\"number\"}}]}";

    @TempDir
    Path dir;

    Running s;
    String shop;
    String legacy;

    @BeforeEach
    void start() throws Exception {
        Path plan = dir.resolve("plan.json");
        Files.writeString(plan, PLAN);
        var trackingPlan = PlanFile.read(plan);
        s = new Running(FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(Running.WRITE_KEY, Running.ADMIN))
                        .withTrackingPlan(trackingPlan),
                SqlStore.sqlite(dir.resolve("data"), FusionServer.pipeline(ModelConfig.defaults(), trackingPlan))));
        shop = key("shop");
        legacy = key("legacy");
    }

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    private String key(String source) {
        var r = s.call("POST", "/api/keys", Running.ADMIN, "{\"source\":\"" + source + "\"}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body().get("secret").asText();
    }

    private Running.Reply track(String key, String id, String event, String properties) {
        String call = "{\"messageId\":\"" + id + "\",\"userId\":\"ana\",\"event\":\"" + event
                + "\",\"timestamp\":\"2026-11-01T10:00:00Z\",\"properties\":" + properties + "}";
        return s.post(
                "/v1/track",
                call.getBytes(StandardCharsets.UTF_8),
                "Authorization",
                "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)),
                "Content-Type",
                "application/json");
    }

    private JsonNode violations() {
        var r = s.call("GET", "/api/tracking-plan/violations", Running.ADMIN, null);
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    @Test
    @DisplayName("issue 16 tracking plan: block mode refuses a call that breaks the plan with 400 naming the property, "
            + "writes nothing, and counts it as blocked")
    void blockRefusesNamingTheProperty() {
        var r = track(shop, "b1", "Order Completed", "{\"order_id\":42,\"revenue\":10}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("field").asText()).isEqualTo("properties.order_id");
        assertThat(r.body().get("error").asText()).contains("expected a string").contains("source 'shop' blocks");
        assertThat(s.server.store().stats().events()).isZero();
        JsonNode v = violations().get("violations").get(0);
        assertThat(v.get("source").asText()).isEqualTo("shop");
        assertThat(v.get("kind").asText()).isEqualTo("mistyped property");
        assertThat(v.get("blocked").asLong()).isEqualTo(1);
        assertThat(v.get("samples").get(0).get("messageId").asText()).isEqualTo("b1");
        // a call that keeps the plan passes
        assertThat(track(shop, "b2", "Order Completed", "{\"order_id\":\"o2\",\"revenue\":10}")
                        .status())
                .isEqualTo(200);
        assertThat(s.server.store().stats().events()).isEqualTo(1);
    }

    @Test
    @DisplayName("issue 16 tracking plan: flag mode accepts every call and counts each violation per source and event, "
            + "with samples")
    void flagAcceptsAndCounts() {
        assertThat(track(Running.WRITE_KEY, "f1", "Order Completed", "{\"revenue\":10}")
                        .status())
                .isEqualTo(200);
        assertThat(track(Running.WRITE_KEY, "f2", "Wondered", "{}").status()).isEqualTo(200);
        assertThat(track(Running.WRITE_KEY, "f3", "Wondered", "{}").status()).isEqualTo(200);
        assertThat(s.server.store().stats().events()).isEqualTo(3);
        JsonNode body = violations();
        assertThat(body.get("total").asLong()).isEqualTo(3);
        JsonNode source = body.get("sources").get(0);
        assertThat(source.get("source").asText()).isEqualTo("default");
        assertThat(source.get("mode").asText()).isEqualTo("flag");
        assertThat(source.get("events").get("Wondered").asLong()).isEqualTo(2);
        assertThat(source.get("events").get("Order Completed").asLong()).isEqualTo(1);
        JsonNode first = body.get("violations").get(0);
        assertThat(first.get("kind").asText()).isEqualTo("unknown event");
        assertThat(first.get("samples")).hasSize(2);
        assertThat(first.get("blocked").asLong()).isZero();
    }

    @Test
    @DisplayName("issue 16 tracking plan: allow mode accepts a call that breaks the plan and counts nothing")
    void allowAcceptsSilently() {
        assertThat(track(legacy, "a1", "Order Completed", "{\"order_id\":42}").status())
                .isEqualTo(200);
        assertThat(track(legacy, "a2", "Wondered", "{}").status()).isEqualTo(200);
        assertThat(s.server.store().stats().events()).isEqualTo(2);
        assertThat(violations().get("total").asLong()).isZero();
    }

    @Test
    @DisplayName(
            "issue 16 tracking plan: the plan and its violations are read with an analyst token, and not without one")
    void thePlanIsRoleChecked() {
        var r = s.call("POST", "/api/tokens", Running.ADMIN, "{\"name\":\"ana\",\"role\":\"analyst\"}");
        String analyst = r.body().get("secret").asText();
        var plan = s.call("GET", "/api/tracking-plan", analyst, null);
        assertThat(plan.status()).isEqualTo(200);
        assertThat(plan.body().get("sources").get("shop").asText()).isEqualTo("block");
        assertThat(plan.body()
                        .get("events")
                        .get(0)
                        .get("properties")
                        .get("order_id")
                        .get("required")
                        .asBoolean())
                .isTrue();
        assertThat(s.call("GET", "/api/tracking-plan/violations", null, null).status())
                .isEqualTo(401);
    }
}
