package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.server.demo.DemoLoader;
import fusion.server.demo.Scenario;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Issue 16, the dashboard's audience builder, in Debian's headless Chromium over the demo data plus
 * a handful of purchases at a brand of the test's own: the size the builder shows while a rule is
 * typed is the count the test makes from the events it sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AudienceDashboardTest {
    static final String BRAND = "audlab";

    @TempDir
    static Path dir;

    @TempDir
    static Path profileDir;

    Running fusion;
    Chromium chromium;
    WebhookReceiver receiver;
    /** Purchases at {@link #BRAND} per person, as sent: the oracle for every size below. */
    final Map<String, Integer> purchases = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        chromium = Chromium.start(profileDir);
        fusion = new Running(dir);
        new DemoLoader(fusion.uri("/"), Running.WRITE_KEY, null)
                .load(new Scenario(2026, 150, Instant.now()).messages());
        List<String> calls = new ArrayList<>();
        int n = 0;
        // p1-p3 buy twice, p4-p7 once, p8 and p9 only look
        for (int p = 1; p <= 9; p++) {
            int buys = p <= 3 ? 2 : p <= 7 ? 1 : 0;
            for (int i = 0; i < buys; i++) calls.add(track("aud-p" + p, "Order Completed", "m" + n++));
            if (buys == 0) calls.add(track("aud-p" + p, "Product Viewed", "m" + n++));
            purchases.put("aud-p" + p, buys);
        }
        var r = fusion.postJson("/v1/batch", "{\"batch\":[" + String.join(",", calls) + "]}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }

    private static String track(String user, String event, String id) {
        return "{\"type\":\"track\",\"messageId\":\"" + id + "\",\"userId\":\"" + user + "\",\"event\":\"" + event
                + "\",\"properties\":{\"brand\":\"" + BRAND + "\",\"revenue\":10}}";
    }

    private long buyersWithAtLeast(int n) {
        return purchases.values().stream().filter(b -> b >= n).count();
    }

    @AfterAll
    void stop() {
        if (receiver != null) receiver.close();
        if (chromium != null) chromium.close();
        if (fusion != null) fusion.close();
    }

    /** axe-core finds nothing serious or critical in {@code css} (as DashboardAccessibilityTest holds the other views to). */
    private void accessible(String view, String css) {
        assertThat(chromium.axe(view, css).stream().filter(Chromium.Violation::failing))
                .as(view)
                .isEmpty();
    }

    private WebElement find(String css) {
        return chromium.driver.findElement(By.cssSelector(css));
    }

    /**
     * Clicks {@code css} as a person would once it is on screen; the click is dispatched by the page, as
     * the live refresh may move the layout between Selenium's scroll and its click.
     */
    private void click(String css) {
        WebElement e = chromium.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
        chromium.js("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", e);
    }

    private void typeInto(String css, String text) {
        WebElement e = find(css);
        e.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        e.sendKeys(text);
    }

    private void sizeShown(long expected) {
        chromium.until(
                d -> String.valueOf(expected).equals(find("#builder-size").getText()));
    }

    private void open() {
        chromium.load(fusion.uri("/#token=" + Running.ADMIN).toString());
        chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("builder-rule")));
        chromium.until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("builder-size-note"), "add a condition"));
    }

    @Test
    @DisplayName("issue 16 dashboard: typing a rule shows its size live, and changing it in the conditions "
            + "changes the size to the count of the people the test sent")
    void typingARuleShowsItsSize() {
        open();
        typeInto(
                "#builder-rule",
                "{\"all\":[{\"fact\":\"events\",\"brand\":\"" + BRAND + "\",\"purpose\":\"purchase\",\"gte\":2}]}");
        sizeShown(buyersWithAtLeast(2)); // 3
        assertThat(find("#builder-size-note").getText()).contains("aud-p1");
        // the JSON became a condition of the structured editor: its value edited there changes the size
        assertThat(find("#builder-conditions .cond-value").getAttribute("value"))
                .isEqualTo("2");
        typeInto("#builder-conditions .cond-value", "1");
        sizeShown(buyersWithAtLeast(1)); // 7
        assertThat(find("#builder-rule").getAttribute("value")).contains("\"gte\": 1");
        // a second condition from the editor: at most one event at the brand, so the people who bought once
        click("#builder-add");
        chromium.until(d -> d.findElements(By.cssSelector("#builder-conditions li.condition"))
                        .size()
                == 2);
        typeInto("#builder-conditions .cond-param[data-row=\"1\"][data-param=\"brand\"]", BRAND);
        new org.openqa.selenium.support.ui.Select(find("#builder-conditions .cond-op[data-row=\"1\"]"))
                .selectByValue("lte");
        typeInto("#builder-conditions .cond-value[data-row=\"1\"]", "1");
        sizeShown(purchases.values().stream().filter(b -> b == 1).count()); // 4
    }

    @Test
    @DisplayName("issue 16 dashboard: an invalid rule shows the JSON path the API names, beside the rule and on "
            + "its condition")
    void anInvalidRuleShowsThePath() {
        open();
        typeInto(
                "#builder-rule",
                "{\"all\":[{\"fact\":\"events\",\"brand\":\"" + BRAND + "\",\"gte\":1},"
                        + "{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":\"two\"}]}");
        chromium.until(ExpectedConditions.presenceOfElementLocated(By.id("builder-rule-path")));
        assertThat(find("#builder-rule-path").getText()).isEqualTo("$.all[1].gte");
        assertThat(find("#builder-rule-error").getText()).contains("expected a number");
        assertThat(find("#builder-size").getText()).isEqualTo("–");
        assertThat(find("#builder-conditions li.condition[data-row=\"1\"]").getAttribute("class"))
                .contains("invalid");
        assertThat(find("#builder-conditions .cond-error[data-row=\"1\"]").getText())
                .startsWith("$.all[1].gte");
        accessible("audience builder with a refusal", "#audience-builder");
        // fixing it clears the refusal and shows the size
        typeInto(
                "#builder-rule",
                "{\"all\":[{\"fact\":\"events\",\"brand\":\"" + BRAND + "\",\"gte\":1},"
                        + "{\"fact\":\"events\",\"purpose\":\"purchase\",\"brand\":\"" + BRAND + "\",\"gte\":2}]}");
        sizeShown(buyersWithAtLeast(2));
        assertThat(find("#builder-rule-error").getText()).isEmpty();
    }

    @Test
    @DisplayName("issue 16 dashboard: saving a rule puts it in the list with its size; opening it shows its members "
            + "and entered changes; deleting it takes it away")
    void savingPutsItInTheList() {
        open();
        typeInto("#builder-id", "lab-buyers");
        typeInto("#builder-name", "Lab buyers");
        typeInto(
                "#builder-rule",
                "{\"all\":[{\"fact\":\"events\",\"brand\":\"" + BRAND + "\",\"purpose\":\"purchase\",\"gte\":1}]}");
        sizeShown(buyersWithAtLeast(1));
        click("#builder-save");
        chromium.until(ExpectedConditions.textToBePresentInElementLocated(By.id("builder-status"), "Saved"));
        String row = "#audience-list tr.audience-row[data-audience=\"lab-buyers\"]";
        chromium.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row)));
        assertThat(find(row + " .audience-size").getText()).isEqualTo(String.valueOf(buyersWithAtLeast(1)));
        // the same audience through the API
        var api = fusion.call("GET", "/api/audiences/rules/lab-buyers", Running.ADMIN, null);
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.body().get("name").asText()).isEqualTo("Lab buyers");
        // opened: its members and who entered
        chromium.until(d -> d.findElements(By.cssSelector("#audience-members .audience-member"))
                        .size()
                == buyersWithAtLeast(1));
        List<String> members =
                chromium.driver.findElements(By.cssSelector("#audience-members .audience-member")).stream()
                        .map(WebElement::getText)
                        .sorted()
                        .toList();
        assertThat(members)
                .containsExactlyElementsOf(purchases.entrySet().stream()
                        .filter(e -> e.getValue() >= 1)
                        .map(Map.Entry::getKey)
                        .sorted()
                        .toList());
        chromium.until(
                d -> d.findElements(By.cssSelector("#audience-changes tr.audience-change[data-entered=\"true\"]"))
                                .size()
                        == buyersWithAtLeast(1));
        assertThat(find("#audience-sizes-caption").getText()).startsWith(buyersWithAtLeast(1) + " people now");
        chromium.js("document.getElementById('audience-sizes-toggle').open = true;");
        accessible("audiences with one open", "#audiences-section");
        // deleted (after the browser's confirmation)
        chromium.js("window.confirm = () => true;");
        click("#builder-delete");
        chromium.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(row)));
        assertThat(fusion.call("GET", "/api/audiences/rules/lab-buyers", Running.ADMIN, null)
                        .status())
                .isEqualTo(404);
    }

    private void define(String json) {
        var r = fusion.call("POST", "/api/audiences/destinations", Running.ADMIN, json);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    }

    private String destination(String id) {
        return "#destinations article.destination[data-destination=\"" + id + "\"]";
    }

    private void countShown(String id, String status, long expected) {
        String css = destination(id) + " td[data-count=\"" + status + "\"]";
        chromium.until(d -> !d.findElements(By.cssSelector(css)).isEmpty()
                && String.valueOf(expected).equals(find(css).getText()));
    }

    @Test
    @DisplayName("issue 16 dashboard: each destination shows its kind and consent purpose, the last export with who "
            + "was left out and why, its outbox against a real loopback receiver, a failing one's state, and dead "
            + "letters re-sent from the dashboard")
    void destinationsShowTheirState() throws Exception {
        receiver = new WebhookReceiver();
        java.util.concurrent.atomic.AtomicBoolean fixed = new java.util.concurrent.atomic.AtomicBoolean();
        receiver.answer = r -> r.path().endsWith("/broken") && !fixed.get()
                ? new WebhookReceiver.Answer(400, -1)
                : r.path().endsWith("/flaky") ? new WebhookReceiver.Answer(503, -1) : WebhookReceiver.Answer.OK;
        assertThat(fusion.call(
                                "POST",
                                "/api/audiences/rules",
                                Running.ADMIN,
                                "{\"id\":\"lab-dest\",\"rule\":{\"fact\":\"events\",\"brand\":\"" + BRAND
                                        + "\",\"purpose\":\"purchase\",\"gte\":1}}")
                        .status())
                .isEqualTo(201);
        // two of the buyers agree to sharing: an export sends them and leaves the rest out as never granted
        List<String> granted = List.of("aud-p1", "aud-p4");
        for (String p : granted)
            assertThat(fusion.call(
                                    "POST",
                                    "/api/profiles/" + p + "/consents",
                                    Running.ADMIN,
                                    "{\"purpose\":\"sharing\",\"granted\":true,\"ttlDays\":30,\"source\":\"test\"}")
                            .status())
                    .isEqualTo(201);
        long buyers = buyersWithAtLeast(1);
        String hook = "{\"audience\":\"lab-dest\",\"kind\":\"webhook\",\"purpose\":\"sharing\","
                + "\"secret\":\"" + WebhookReceiver.SECRET + "\",\"baseDelay\":\"PT1S\",\"maxDelay\":\"PT5S\","
                + "\"maxAttempts\":20,";
        define(hook + "\"id\":\"crm\",\"url\":\"" + receiver.url("crm") + "\"}");
        define(hook + "\"id\":\"broken\",\"url\":\"" + receiver.url("broken") + "\"}");
        define(hook + "\"id\":\"flaky\",\"url\":\"" + receiver.url("flaky") + "\"}");

        chromium.load(fusion.uri("/#token=" + Running.ADMIN).toString());
        chromium.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(destination("crm"))));
        assertThat(find(destination("crm") + " .destination-purpose").getText()).startsWith("sharing");
        assertThat(find(destination("crm") + " h4").getText())
                .contains("webhook")
                .contains("lab-dest");
        assertThat(find(destination("crm") + " .destination-export").getText()).isEqualTo("no export yet");

        // export now, from the dashboard: the granted two are sent and delivered, the others counted by reason
        click(destination("crm") + " .destination-export-now");
        chromium.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("destinations-status"),
                "Exported lab-dest to crm: " + granted.size() + " of " + buyers + " sent"));
        countShown("crm", "delivered", granted.size());
        chromium.until(d -> find(destination("crm") + " [data-excluded=\"never_granted\"]")
                .getText()
                .endsWith("×" + (buyers - granted.size())));
        assertThat(find(destination("crm") + " [data-export=\"sent\"]").getText())
                .isEqualTo(String.valueOf(granted.size()));
        assertThat(receiver.received.stream()
                        .filter(r -> r.path().endsWith("/crm"))
                        .map(r -> r.text().replaceAll(".*\"profile\":\"([^\"]+)\".*", "$1"))
                        .distinct()
                        .sorted())
                .containsExactlyElementsOf(granted);

        // a receiver that refuses (400): the two become dead letters, shown with a re-send button
        assertThat(fusion.call("POST", "/api/audiences/destinations/broken/export", Running.ADMIN, null)
                        .status())
                .isEqualTo(200);
        countShown("broken", "dead", granted.size());
        chromium.until(d -> d.findElements(By.cssSelector(destination("broken") + " tr.dead-letter"))
                        .size()
                == granted.size());
        assertThat(find(destination("broken") + " .destination-retry").getText())
                .isEqualTo("Re-send " + granted.size() + " dead letters");
        accessible("destinations with dead letters", ".destinations");
        fixed.set(true);
        click(destination("broken") + " .destination-retry");
        countShown("broken", "delivered", granted.size());
        countShown("broken", "dead", 0);
        assertThat(chromium.driver.findElements(By.cssSelector(destination("broken") + " .destination-retry")))
                .isEmpty();

        // a receiver that keeps failing (503): the destination says so, with the status it got
        assertThat(fusion.call("POST", "/api/audiences/destinations/flaky/export", Running.ADMIN, null)
                        .status())
                .isEqualTo(200);
        chromium.until(d -> "true"
                .equals(find(destination("flaky") + " .destination-health").getAttribute("data-failing")));
        assertThat(find(destination("flaky") + " .destination-health").getText())
                .startsWith("failing:")
                .contains("failures in a row");
        countShown("flaky", "pending", granted.size());
    }
}
