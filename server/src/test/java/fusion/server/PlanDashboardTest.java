package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.server.access.Credentials;
import fusion.server.plan.PlanFile;
import fusion.store.sql.SqlStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Issue 16, tracking plan: the dashboard's violations panel, after a restart, in headless Chromium. */
class PlanDashboardTest {
    @TempDir
    Path dir;

    @TempDir
    Path profileDir;

    Running fusion;
    Chromium chromium;

    @AfterEach
    void stop() {
        if (chromium != null) chromium.close();
        if (fusion != null) fusion.close();
    }

    private Running start() throws Exception {
        Path file = dir.resolve("plan.json");
        if (!Files.exists(file)) Files.writeString(file, TrackingPlanModesTest.PLAN);
        var plan = PlanFile.read(file);
        return new Running(FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(Running.WRITE_KEY, Running.ADMIN))
                        .withTrackingPlan(plan),
                SqlStore.sqlite(dir.resolve("data"), FusionServer.pipeline(ModelConfig.defaults(), plan))));
    }

    private int track(String key, String id, String event, String properties) {
        String call = "{\"messageId\":\"" + id + "\",\"userId\":\"ana\",\"event\":\"" + event
                + "\",\"timestamp\":\"2026-11-01T10:00:00Z\",\"properties\":" + properties + "}";
        return fusion.post(
                        "/v1/track",
                        call.getBytes(StandardCharsets.UTF_8),
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)),
                        "Content-Type",
                        "application/json")
                .status();
    }

    private WebElement cell(String source, String event, String css) {
        return chromium.driver.findElement(By.cssSelector(
                "#plan-violations tr.plan-row[data-source=\"" + source + "\"][data-event=\"" + event + "\"] " + css));
    }

    @Test
    @DisplayName("issue 16 tracking plan: the dashboard shows, after a restart, each source's mode and per event "
            + "the counts by kind, the refused calls and the samples")
    void thePanelShowsKeptViolations() throws Exception {
        fusion = start();
        var key = fusion.call("POST", "/api/keys", Running.ADMIN, "{\"source\":\"shop\"}");
        String shop = key.body().get("secret").asText();
        // the default source flags: three unknown events and one order without its order_id
        for (String id : List.of("w1", "w2", "w3"))
            assertThat(track(Running.WRITE_KEY, id, "Wondered", "{}")).isEqualTo(200);
        assertThat(track(Running.WRITE_KEY, "o1", "Order Completed", "{\"revenue\":10}"))
                .isEqualTo(200);
        // the shop blocks: two orders whose order_id is a number are refused
        for (String id : List.of("s1", "s2"))
            assertThat(track(shop, id, "Order Completed", "{\"order_id\":42,\"revenue\":10}"))
                    .isEqualTo(400);
        fusion.close();
        fusion = start();

        chromium = Chromium.start(profileDir);
        chromium.load(fusion.uri("/#token=" + Running.ADMIN).toString());
        chromium.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#plan-violations tr.plan-row[data-source=\"shop\"]")));
        assertThat(cell("default", "Wondered", "td[data-kind=\"unknown event\"]")
                        .getText())
                .isEqualTo("3");
        assertThat(cell("default", "Wondered", ".plan-mode").getText()).isEqualTo("flag");
        assertThat(cell("default", "Wondered", ".plan-blocked").getText()).isEqualTo("0");
        assertThat(cell("default", "Order Completed", "td[data-kind=\"missing property\"]")
                        .getText())
                .isEqualTo("1");
        assertThat(cell("shop", "Order Completed", "td[data-kind=\"mistyped property\"]")
                        .getText())
                .isEqualTo("2");
        assertThat(cell("shop", "Order Completed", ".plan-mode").getText()).isEqualTo("block");
        assertThat(cell("shop", "Order Completed", ".plan-blocked").getText()).isEqualTo("2");
        assertThat(find("#plan-modes").getText()).contains("flag by default").contains("shop: block");
        // the samples, behind their toggle: newest first, the refused ones marked
        WebElement details = cell("shop", "Order Completed", "details.plan-samples");
        chromium.js("arguments[0].open = true;", details);
        List<String> ids = details.findElements(By.cssSelector(".plan-sample")).stream()
                .map(e -> e.getAttribute("data-message"))
                .toList();
        assertThat(ids).containsExactly("s2", "s1");
        assertThat(details.findElement(By.cssSelector(".plan-sample")).getText())
                .contains("properties.order_id")
                .endsWith("refused");
        assertThat(details.findElement(By.tagName("summary")).getText()).isEqualTo("properties.order_id ×2");
        assertThat(chromium.axe("tracking plan", "#plan-section").stream().filter(Chromium.Violation::failing))
                .as("axe-core: nothing serious or critical")
                .isEmpty();
    }

    private WebElement find(String css) {
        return chromium.driver.findElement(By.cssSelector(css));
    }
}
