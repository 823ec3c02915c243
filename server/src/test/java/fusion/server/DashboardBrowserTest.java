package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.server.demo.DemoLoader;
import fusion.server.demo.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in the system's headless Chromium against a real server: brand health, the
 * customer 360 with its ledger causes, consent, audit and next step, the journeys and attribution
 * views over the demo scenario, live updates, and the token form. Needs Debian's
 * {@code chromium} and {@code chromium-driver} (installed by .ci/run); in CI their absence fails.
 */
class DashboardBrowserTest {

    @TempDir
    Path dir;

    @TempDir
    Path profileDir;

    Running fusion;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() {
        browser = Chromium.launch(profileDir, 1400, 1000);
        fusion = new Running(dir);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        // the live refresh redraws the page every few seconds: an element found before a redraw is stale after it
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.quit();
        if (fusion != null) fusion.close();
    }

    private void send(String messageId, String brand, String extra) {
        String t = Instant.now().minusSeconds(60).toString();
        var reply = fusion.postJson("/v1/batch", """
            {"batch": [
              {"type": "identify", "messageId": "%1$s-i", "userId": "ana", "traits": {"name": "Ana Lima"}, "timestamp": "%2$s"},
              {"type": "track", "messageId": "%1$s-t", "userId": "ana", "event": "Order Completed",
               "properties": {"brand": "%3$s", "revenue": 120 %4$s}, "timestamp": "%2$s"}
            ]}""".formatted(messageId, t, brand, extra));
        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void theDashboardShowsBrandHealthAndTheCustomer360AndUpdatesLive() {
        send("a", "glitter", ", \"wow\": true");
        browser.get(fusion.uri("/#token=" + Running.ADMIN).toString());

        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".brand-card[data-brand='glitter']")));
        String fusionText = text(".brand-card[data-brand='glitter'] .fusion");
        assertThat(Double.parseDouble(fusionText.replaceAll("[^0-9.]", ""))).isGreaterThan(50);
        // issue 15 item 2: money shows its currency (the server's --currency, USD by default)
        wait.until(ExpectedConditions.textToBe(
                By.cssSelector(".brand-card[data-brand='glitter'] .money"), "USD 120 money"));

        browser.findElement(By.id("search")).sendKeys("ana");
        // the list re-renders as results arrive: click whichever element is current
        wait.ignoring(org.openqa.selenium.ElementClickInterceptedException.class)
                .until(d -> {
                    var result = d.findElement(By.cssSelector(".result[data-profile='ana']"));
                    ((org.openqa.selenium.JavascriptExecutor) d)
                            .executeScript("arguments[0].scrollIntoView({block: 'center'})", result);
                    result.click();
                    return true;
                });
        wait.until(ExpectedConditions.textToBe(By.id("profile-id"), "ana"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".relationship[data-brand='glitter']")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#profile"), "spent 120"));
        assertThat(text("#timeline")).contains("Order Completed");

        send("b", "brewline", "");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".brand-card[data-brand='brewline']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".relationship[data-brand='brewline']")));
    }

    @Test
    void aWrongTokenShowsTheTokenForm() {
        browser.get(fusion.uri("/#token=not-the-token").toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-form")));
        browser.findElement(By.id("token-input")).sendKeys(Running.ADMIN);
        browser.findElement(By.cssSelector("#token-form button")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("token-form")));
        // an empty store: the journeys and attribution views say so instead of drawing nothing
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("journeys-empty")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("attribution-empty")));
        assertThat(text("#attribution-empty")).isEqualTo("no journeys yet");
        assertThat(this.<Boolean>read(
                        d -> d.findElement(By.id("attribution-chart")).isDisplayed()))
                .isFalse();
        assertThat(browser.findElements(By.cssSelector("#sankey path"))).isEmpty();
    }

    /** The demo scenario, small enough to load in a few seconds, streamed in as the demo does. */
    private void loadDemo() throws Exception {
        var messages = new Scenario(2026, 150, Instant.now()).messages();
        new DemoLoader(fusion.uri("/"), Running.WRITE_KEY, null).load(messages);
    }

    private void open(String token, String profile) {
        browser.get(fusion.uri("/#token=" + token + (profile == null ? "" : "&profile=" + profile))
                .toString());
    }

    private WebElement waitFor(String css) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** What {@code read} returns, read again from the start if the live refresh redrew the page meanwhile. */
    private <T> T read(java.util.function.Function<WebDriver, T> read) {
        record Value<T>(T value) {}
        return wait.until(d -> new Value<>(read.apply(d))).value();
    }

    /** Picks {@code value} in the select {@code id}, found again if a redraw replaced it. */
    private void choose(String id, String value) {
        read(d -> {
            new Select(d.findElement(By.id(id))).selectByValue(value);
            return true;
        });
    }

    private String text(String css) {
        return read(d -> d.findElement(By.cssSelector(css)).getText());
    }

    private String attribute(String css, String name) {
        return read(d -> d.findElement(By.cssSelector(css)).getAttribute(name));
    }

    /** Clicks once the element has scrolled into view (the page scrolls smoothly). */
    private void click(String css) {
        wait.ignoring(org.openqa.selenium.ElementClickInterceptedException.class)
                .until(d -> {
                    WebElement e = d.findElement(By.cssSelector(css));
                    ((JavascriptExecutor) d)
                            .executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", e);
                    e.click();
                    return true;
                });
    }

    @Test
    void theConsentPanelShowsVerdictsAndAGrantMadeInTheFormJoinsTheHistoryAndTheAudit() throws Exception {
        loadDemo();
        String alice = fusion.get("/api/profiles/demo-alice").body().get("id").asText();
        open(Running.ADMIN, "demo-alice");

        // the verdicts the consent policy gives today: analytics by default, sharing only when granted
        waitFor("#consent-verdicts tr[data-purpose='analytics'][data-code='default_allowed']");
        assertThat(text("#consent-verdicts tr[data-purpose='analytics']")).contains("allowed", "allowed by default");
        assertThat(text("#consent-verdicts tr[data-purpose='sharing'][data-channel='']"))
                .contains("denied", "never_granted", "sharing was never granted");
        assertThat(browser.findElements(By.cssSelector("#consent-history .consent-record[data-purpose='sharing']")))
                .isEmpty();

        // the next step of her glitter journey, with odds
        waitFor("#next-step .next-step-card[data-brand='glitter'] .next-list li");
        assertThat(text("#next-step .next-step-card[data-brand='glitter']"))
                .contains("next channel", "next purpose", "buys next", "leaves next", "buys eventually")
                .containsPattern("\\d+%");

        // a bad ttl: the API's explanation sits next to the field, nothing is recorded
        choose("consent-purpose", "sharing");
        browser.findElement(By.id("consent-ttl")).clear();
        browser.findElement(By.id("consent-ttl")).sendKeys("-3");
        click("#consent-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("consent-ttl-error"), "ttlDays"));
        assertThat(browser.findElement(By.id("consent-ttl")).getAttribute("aria-invalid"))
                .isEqualTo("true");

        // a 30-day grant: verdict, history and audit all show it
        browser.findElement(By.id("consent-ttl")).clear();
        browser.findElement(By.id("consent-ttl")).sendKeys("30");
        click("#consent-submit");
        waitFor("#consent-history .consent-record.granted[data-purpose='sharing']");
        assertThat(text("#consent-history .consent-record[data-purpose='sharing']"))
                .contains("granted", "sharing", "source: dashboard");
        waitFor("#consent-verdicts tr[data-purpose='sharing'][data-code='granted']");
        String lapse = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();
        assertThat(text("#consent-verdicts tr[data-purpose='sharing'][data-code='granted'] .lapses"))
                .startsWith(lapse);
        assertThat(text("#consent-ttl-error")).isEmpty();

        // the audit lists this page's reads of her data, and the grant, as the API has them
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-table"), "grant sharing"));
        assertThat(text("#audit-table"))
                .contains("read profile", "read consent", "predict next step", "bootstrap admin", "201");
        Set<String> logged = new TreeSet<>();
        for (JsonNode e :
                fusion.get("/api/audit?subject=" + alice + "&limit=50").body())
            logged.add(e.get("action").asText());
        Set<String> shown = read(d -> d.findElements(By.cssSelector("#audit-table .audit-entry .action")).stream()
                .map(WebElement::getText)
                .collect(Collectors.toCollection(TreeSet::new)));
        assertThat(logged).containsAll(shown).contains("grant sharing");
        assertThat(fusion.get("/api/profiles/demo-alice/consents")
                        .body()
                        .get("history")
                        .toString())
                .contains("\"source\":\"dashboard\"");
    }

    @Test
    void anAnalystSeesWhyTheAuditTheConsentFormAndAnOptedOutNextStepAreClosedToIt() throws Exception {
        loadDemo();
        var issued = fusion.call("POST", "/api/tokens", Running.ADMIN, "{\"name\": \"viewer\", \"role\": \"analyst\"}");
        assertThat(issued.status()).isEqualTo(201);
        var revoked = fusion.call(
                "POST",
                "/api/profiles/demo-bruno/consents",
                Running.ADMIN,
                "{\"purpose\": \"analytics\", \"granted\": false, \"source\": \"preference centre\"}");
        assertThat(revoked.status()).isEqualTo(201);
        open(issued.body().get("secret").asText(), "demo-bruno");

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("next-step"), "opted out of analytics"));
        assertThat(text("#next-step .opted-out")).contains("analytics was revoked by preference centre");
        waitFor("#consent-verdicts tr[data-purpose='analytics'][data-code='revoked']");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-note")));
        assertThat(text("#audit-note")).contains("Only an admin token");
        assertThat(this.<Boolean>read(d -> d.findElement(By.id("audit-table")).isDisplayed()))
                .isFalse();

        click("#consent-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("consent-form-status"), "your token cannot do this"));
        assertThat(text("#consent-form-status")).contains("operator role");

        // deciding and the dead letters are an operator's: the analyst is told so, nothing is decided
        click("#decide-now");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("decide-status"), "your token cannot do this"));
        assertThat(fusion.get("/api/profiles/demo-bruno/decisions").body().get("decisions"))
                .isEmpty();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dead-note")));
        assertThat(text("#dead-note")).contains("Only an operator");
    }

    @Test
    @DisplayName("issue 15 item 2: a thin step-1 node of the Sankey (1 journey of 41) still carries its label")
    void aThinSankeyNodeIsLabelled() {
        // 40 one-step journeys on the web and 1 in the store: drawn to scale the store's node is
        // 280 / 41 = 6.8 px high, under the 9 px below which it used to go unlabelled
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        String t = Instant.now().minusSeconds(60).toString();
        for (int n = 0; n < 41; n++) {
            if (n > 0) batch.append(',');
            batch.append("""
                {"type": "track", "messageId": "sankey-%1$d", "userId": "walker-%1$d", "event": "Product Viewed",
                 "properties": {"brand": "glitter", "channel": "%2$s"}, "timestamp": "%3$s"}""".formatted(n, n == 40 ? "store" : "web", t));
        }
        assertThat(fusion.postJson("/v1/batch", batch.append("]}").toString()).status())
                .isEqualTo(200);
        open(Running.ADMIN, null);
        waitFor("#journey-brand option[value='all|glitter']");
        choose("journey-brand", "all|glitter");
        WebElement store = waitFor("#sankey g.sankey-node[data-step='1'][data-channel='store']");
        assertThat(store.findElements(By.cssSelector("text.node-label")))
                .extracting(WebElement::getText)
                .containsExactly("store 1");
        assertThat(text("#sankey g.sankey-node[data-step='1'][data-channel='web'] text.node-label"))
                .isEqualTo("web 40");
    }

    @Test
    void theJourneysViewDrawsTheTopPathsAsASankeyAndTheChannelHeatMapOfTheChosenBrand() throws Exception {
        loadDemo();
        JsonNode report = fusion.get("/api/journeys").body();
        JsonNode glitter = null;
        for (JsonNode b : report.get("brands")) if (b.get("brand").asText().equals("glitter")) glitter = b;
        assertThat(glitter).isNotNull();
        open(Running.ADMIN, null);

        waitFor("#journey-brand option[value='all|glitter']");
        choose("journey-brand", "all|glitter");
        waitFor("#journey-body[data-brand='glitter']");
        assertThat(text("#journey-summary"))
                .contains(String.format("%,d", glitter.get("journeys").asLong()) + " journeys");

        // Sankey: one node per (step, channel), its size the journeys of the top paths through it
        Map<String, Long> expected = new HashMap<>();
        for (JsonNode p : glitter.get("topPaths")) {
            JsonNode chs = p.get("channels");
            for (int i = 0; i < Math.min(6, chs.size()); i++) {
                expected.merge(
                        (i + 1) + "|" + chs.get(i).asText(), p.get("journeys").asLong(), Long::sum);
            }
        }
        Map<String, String> nodes = read(d -> d.findElements(By.cssSelector("#sankey g.sankey-node")).stream()
                .collect(Collectors.toMap(
                        n -> n.getAttribute("data-step") + "|" + n.getAttribute("data-channel"),
                        n -> n.getAttribute("aria-label"))));
        assertThat(nodes.keySet()).isEqualTo(expected.keySet());
        nodes.forEach((k, label) -> assertThat(label).as(k).contains(", " + expected.get(k) + " journeys"));
        // issue 15 item 2: every node, the thin ones of step 1 too, carries a visible label naming it
        Map<String, String> labels = read(d -> d.findElements(By.cssSelector("#sankey g.sankey-node")).stream()
                .collect(Collectors.toMap(
                        n -> n.getAttribute("data-step") + "|" + n.getAttribute("data-channel"),
                        n -> n.findElements(By.cssSelector("text.node-label")).stream()
                                .map(WebElement::getText)
                                .findFirst()
                                .orElse("(no label)"))));
        expected.forEach((k, journeys) -> assertThat(labels.get(k))
                .as("label of the node %s", k)
                .isEqualTo(k.substring(k.indexOf('|') + 1) + " " + String.format("%,d", journeys)));
        assertThat(attribute("#sankey path.sankey-link", "d")).startsWith("M").contains("C");

        // heat map: one shaded cell per observed transition, holding its probability
        JsonNode transitions = glitter.get("channelTransitions");
        assertThat(browser.findElements(By.cssSelector("#heatmap td.heat[data-probability]")))
                .hasSize(transitions.size());
        JsonNode t = transitions.get(0);
        String cell = "#heatmap td[data-from='" + t.get("from").asText() + "'][data-to='"
                + t.get("to").asText() + "']";
        assertThat(Double.parseDouble(attribute(cell, "data-probability")))
                .isEqualTo(t.get("probability").asDouble());
        assertThat(attribute(cell, "title"))
                .contains(t.get("from").asText() + " → " + t.get("to").asText())
                .contains(t.get("count").asText() + " of");
        assertThat(attribute(cell, "style")).contains("background");

        // share of orbit for every brand, and research-here-buy-there from glitter
        assertThat(browser.findElements(By.cssSelector("#orbit .orbit-row")))
                .hasSize(report.get("orbit").size());
        long leaks = 0;
        for (JsonNode l : report.get("leakage"))
            if (l.get("researchBrand").asText().equals("glitter")) leaks++;
        assertThat(browser.findElements(By.cssSelector("#leakage tbody tr")))
                .hasSize((int) Math.max(1, Math.min(10, leaks)));
        assertThat(text("#research-kept")).contains("Glitter");
    }

    @Test
    void theAttributionViewDrawsFirstLastLinearAndMarkovBarsPerChannelAndRegroupsByPurpose() throws Exception {
        loadDemo();
        JsonNode a =
                fusion.get("/api/journeys/attribution?by=channel&order=1,2").body();
        open(Running.ADMIN, null);

        waitFor("#attribution-chart .attribution-row");
        Set<String> channels = new TreeSet<>();
        for (JsonNode c : a.get("heuristics")) channels.add(c.get("channel").asText());
        Set<String> drawn = read(d -> d.findElements(By.cssSelector("#attribution-chart .attribution-row")).stream()
                .map(e -> e.getAttribute("data-channel"))
                .collect(Collectors.toCollection(TreeSet::new)));
        if (channels.size() <= 15) assertThat(drawn).isEqualTo(channels);
        else assertThat(drawn).hasSize(15).isSubsetOf(channels);

        // every series drawn for the channel with the most linear credit, with the API's numbers
        JsonNode best = null;
        for (JsonNode c : a.get("heuristics")) {
            if (best == null
                    || c.get("linearConversions").asDouble()
                            > best.get("linearConversions").asDouble()) best = c;
        }
        String row = "#attribution-chart .attribution-row[data-channel='"
                + best.get("channel").asText() + "'] ";
        assertThat(bar(row, "first"))
                .isEqualTo(best.get("firstTouchConversions").asDouble());
        assertThat(bar(row, "last")).isEqualTo(best.get("lastTouchConversions").asDouble());
        assertThat(bar(row, "linear")).isEqualTo(best.get("linearConversions").asDouble());
        for (JsonNode m : a.get("markov")) {
            for (JsonNode c : m.get("channels")) {
                if (c.get("channel").asText().equals(best.get("channel").asText())) {
                    assertThat(bar(row, "markov" + m.get("order").asInt()))
                            .isEqualTo(c.get("conversions").asDouble());
                }
            }
        }
        assertThat(attribute(row + "[data-series='linear'] rect", "width"))
                .satisfies(w -> assertThat(Double.parseDouble(w)).isGreaterThan(0));
        assertThat(text("#attribution-legend"))
                .contains("first touch", "last touch", "linear", "Markov order 1", "Markov order 2");
        assertThat(text("#attribution-summary"))
                .contains(String.format("%,d", a.get("conversions").asLong()) + " conversions");

        JsonNode byPurpose =
                fusion.get("/api/journeys/attribution?by=purpose&order=1,2").body();
        double purchases = 0;
        for (JsonNode c : byPurpose.get("heuristics")) {
            if (c.get("channel").asText().equals("purchase"))
                purchases = c.get("lastTouchConversions").asDouble();
        }
        choose("attribution-by", "purpose");
        waitFor("#attribution-chart .attribution-row[data-channel='purchase']");
        assertThat(bar("#attribution-chart .attribution-row[data-channel='purchase'] ", "last"))
                .isEqualTo(purchases)
                .isPositive();
        assertThat(browser.findElements(By.cssSelector("#attribution-chart .attribution-row[data-channel='web']")))
                .isEmpty();
    }

    @Test
    void theCustomer360ShowsTheModelsValueAndADecisionMadeWithTheButtonJoinsTheListWithItsReasons() throws Exception {
        loadDemo();
        JsonNode value = fusion.get("/api/profiles/demo-alice/value").body();
        String main = null;
        long most = -1;
        for (JsonNode r : fusion.get("/api/profiles/demo-alice/relationships").body()) {
            if (r.get("associationOnly").asBoolean() || r.get("competitor").asBoolean()) continue;
            if (r.get("events").asLong() > most) {
                most = r.get("events").asLong();
                main = r.get("brand").asText();
            }
        }
        assertThat(fusion.get("/api/profiles/demo-alice/decisions").body().get("decisions"))
                .isEmpty();
        open(Running.ADMIN, "demo-alice");

        // the value as the model gives it, or the model's own sentence when it could not give one
        waitFor("#value [data-figure], #value .value-message");
        if (value.get("probabilityAlive").isNumber()) {
            String alive = "#value [data-figure='probabilityAlive']";
            double p = value.get("probabilityAlive").asDouble();
            assertThat(Double.parseDouble(attribute(alive, "data-value"))).isEqualTo(p);
            assertThat(Double.parseDouble(text(alive + " .figure-value").replace("%", "")))
                    .isCloseTo(100 * p, org.assertj.core.data.Offset.offset(0.051));
            assertThat(text("#value"))
                    .contains(
                            "probability alive",
                            "lifetime value",
                            "x = " + value.at("/brands/0/history/frequency").asInt());
        } else {
            assertThat(text("#value .value-message"))
                    .contains(value.get("message").asText());
            assertThat(browser.findElements(By.cssSelector("#value .value-total [data-figure]")))
                    .isEmpty();
        }
        // issue 15: one block per brand she bought at, each with figures or its fit's one sentence
        for (JsonNode b : value.get("brands")) {
            String block = "#value .value-brand[data-brand='" + b.get("brand").asText() + "']";
            assertThat(attribute(block, "data-status"))
                    .isEqualTo(b.get("status").asText());
            if (!b.get("status").asText().equals("valued"))
                assertThat(text(block + " .brand-message"))
                        .isEqualTo(b.get("message").asText());
        }
        String panel = text("#value");
        assertThat(panel).doesNotContain("null");
        // issue 15 item 2: her churn risk at each brand, as the API gives it, with its reasons or its reason for none
        JsonNode churn = fusion.get("/api/profiles/demo-alice/churn").body();
        waitFor("#churn .churn-brand, #churn .note");
        for (JsonNode r : churn.get("brands")) {
            String block = "#churn .churn-brand[data-brand='" + r.get("brand").asText() + "']";
            assertThat(attribute(block, "data-status"))
                    .isEqualTo(r.get("status").asText());
            if (r.get("status").asText().equals("scored")) {
                assertThat(Double.parseDouble(attribute(block + " [data-figure='risk']", "data-value")))
                        .isEqualTo(r.get("risk").asDouble());
                for (JsonNode reason : r.get("reasons"))
                    assertThat(text(block)).contains(reason.get("text").asText());
            } else {
                assertThat(text(block + " .brand-message"))
                        .isEqualTo(r.get("message").asText());
            }
        }
        assertThat(text("#churn")).doesNotContain("null");
        for (JsonNode b : value.get("brands")) {
            String m = b.get("message").asText();
            assertThat(panel.indexOf(m)).as("shown at most once: " + m).isEqualTo(panel.lastIndexOf(m));
        }

        // no decision yet; the button decides for her main brand, and the answer joins the list
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("decisions-table"), "no decisions yet"));
        assertThat(this.<String>read(d -> new Select(d.findElement(By.id("decide-brand")))
                        .getFirstSelectedOption()
                        .getAttribute("value")))
                .isEqualTo(main);
        click("#decide-now");
        waitFor("#decide-answer[data-id]");
        JsonNode decisions =
                fusion.get("/api/profiles/demo-alice/decisions").body().get("decisions");
        assertThat(decisions).hasSize(1);
        JsonNode d = decisions.get(0);
        assertThat(d.get("brand").asText()).isEqualTo(main);
        String primary = d.at("/primary/code").asText();
        assertThat(attribute("#decide-answer", "data-primary")).isEqualTo(primary);
        String row = "#decisions-table tr.decision[data-id='" + d.get("id").asText() + "']";
        waitFor(row);
        assertThat(attribute(row, "data-primary")).isEqualTo(primary);
        assertThat(text(row + " .primary-reason"))
                .startsWith(primary)
                .contains(d.at("/primary/sentence").asText());
        assertThat(text(row))
                .contains(
                        d.get("outcome").asText().equals("act") ? "act" : "nothing",
                        d.get("status").asText());

        // every reason, code and sentence, one keypress away
        browser.findElement(By.cssSelector(row + " details summary")).sendKeys(org.openqa.selenium.Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(row + " .reason-list li")));
        var items = read(b -> b.findElements(By.cssSelector(row + " .reason-list li")).stream()
                .map(li -> java.util.List.of(li.getAttribute("data-code"), li.getText()))
                .toList());
        assertThat(items).hasSize(d.get("reasons").size());
        for (int i = 0; i < items.size(); i++) {
            assertThat(items.get(i).get(0))
                    .isEqualTo(d.get("reasons").get(i).get("code").asText());
            assertThat(items.get(i).get(1))
                    .contains(d.get("reasons").get(i).get("sentence").asText());
        }
    }

    @Test
    void aDeclaredActionOnABrandShowsItsImpactChartWithTheModelsEffectAndVerdict() throws Exception {
        loadDemo();
        browser.get(fusion.uri("/#token=" + Running.ADMIN + "&brand=glitter").toString());
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("actions-table"), "no actions declared yet"));
        assertThat(this.<Boolean>read(d -> d.findElement(By.id("impact-empty")).isDisplayed()))
                .isTrue();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dead-letters"), "no dead letters"));

        // issue 15: the brand's customers most at risk, its survey answers and the drivers of its NPS, as the API has
        // them
        JsonNode churn = fusion.get("/api/brands/glitter/churn?limit=10").body();
        waitFor("#brand-churn-list .fit-note");
        assertThat(text("#brand-churn-list .fit-note"))
                .isEqualTo(churn.at("/fit/message").asText());
        if (churn.at("/fit/status").asText().equals("fitted")) {
            assertThat(browser.findElements(By.cssSelector("#brand-churn-table tbody tr")))
                    .hasSize(churn.get("customers").size());
        }
        JsonNode drivers = fusion.get("/api/brands/glitter/drivers?outcome=nps").body();
        waitFor("#brand-surveys-body .drivers-message");
        assertThat(text("#brand-surveys-body .drivers-message"))
                .isEqualTo(drivers.get("message").asText());
        assertThat(text("#brand-surveys-body .survey-message"))
                .isEqualTo(fusion.get("/api/brands/glitter/surveys")
                        .body()
                        .get("message")
                        .asText());
        if (drivers.get("status").asText().equals("analysed")) {
            assertThat(browser.findElements(By.cssSelector("#drivers-list li")))
                    .hasSize(drivers.at("/analysis/drivers").size());
        }
        assertThat(text("#brand-surveys-body")).doesNotContain("null");
        assertThat(text("#brand-churn-list")).doesNotContain("null");

        // a start that is no instant: the API's explanation sits next to the field, nothing is declared
        browser.findElement(By.id("action-name")).sendKeys("popstar concert");
        browser.findElement(By.id("action-starts")).sendKeys("last friday");
        click("#action-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-starts-error"), "ISO-8601"));
        assertThat(browser.findElement(By.id("action-starts")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(fusion.get("/api/brands/glitter/actions").body()).isEmpty();

        String start = LocalDate.now(ZoneOffset.UTC).minusDays(10).toString();
        browser.findElement(By.id("action-starts")).clear();
        browser.findElement(By.id("action-starts")).sendKeys(start);
        choose("action-kind", "concert");
        click("#action-submit");
        waitFor("#actions-table tr.brand-action");
        JsonNode action = fusion.get("/api/brands/glitter/actions").body().get(0);
        assertThat(action.get("starts").asText()).isEqualTo(start + "T00:00:00Z");
        assertThat(action.get("kind").asText()).isEqualTo("concert");

        // the chart: observed and counterfactual paths, the band after the action, a line at it
        waitFor("#impact[data-action='" + action.get("id").asText()
                + "'][data-metric='sales'] #impact-chart path.line-observed");
        JsonNode impact = fusion.get(
                        "/api/brands/glitter/actions/" + action.get("id").asText() + "/impact?metric=sales")
                .body();
        int points = impact.get("series").size();
        assertThat(attribute("#impact-chart path.line-observed", "d"))
                .startsWith("M")
                .satisfies(d -> assertThat(d.split("L")).hasSize(points));
        assertThat(attribute("#impact-chart path.line-counterfactual", "d"))
                .startsWith("M")
                .contains("L");
        assertThat(browser.findElements(By.cssSelector("#impact-chart path.band")))
                .hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#impact-chart line.intervention")))
                .hasSize(1);
        assertThat(text("#impact-chart")).contains("starts · " + start);

        // the effect with its interval, the tail probability, the weights and the verdict, as the API has them
        JsonNode effect = impact.at("/regression/averageEffect");
        String average = "#impact-effect [data-figure='averageEffect']";
        assertThat(Double.parseDouble(attribute(average, "data-value")))
                .isEqualTo(effect.get("estimate").asDouble());
        double shown = Double.parseDouble(
                text(average + " .estimate").replace("−", "-").replace(",", ""));
        assertThat(shown).isCloseTo(effect.get("estimate").asDouble(), org.assertj.core.data.Offset.offset(0.51));
        assertThat(text(average)).contains("95% interval");
        assertThat(Double.parseDouble(attribute("#impact-effect [data-figure='tailProbability']", "data-value")))
                .isEqualTo(impact.at("/regression/tailProbability").asDouble());
        if (impact.get("synthetic").isObject()) {
            long weighted = 0;
            for (JsonNode w : impact.at("/synthetic/weights")) if (w.asDouble() > 0.0005) weighted++;
            assertThat(browser.findElements(By.cssSelector("#impact-effect .weight")))
                    .hasSize((int) weighted);
        }
        assertThat(text("#impact-verdict")).isEqualTo(impact.get("message").asText());
        // issue 15 items 3 and 5: difference-in-differences beside the others, and a verdict in plain words
        if (impact.get("differenceInDifferences").isObject()) {
            assertThat(Double.parseDouble(attribute("#impact-effect [data-figure='didEffect']", "data-value")))
                    .isEqualTo(impact.at("/differenceInDifferences/effect").asDouble());
        }
        assertThat(text("#impact-verdict")).doesNotContain("R^2", "e+0", "too poor", "per point");
        assertThat(text("#impact-effect [data-figure='fit']")).doesNotContain("too poor");

        choose("impact-metric", "interactions");
        waitFor("#impact[data-metric='interactions'] #impact-chart path.line-observed");
        JsonNode interactions = fusion.get(
                        "/api/brands/glitter/actions/" + action.get("id").asText() + "/impact?metric=interactions")
                .body();
        wait.until(ExpectedConditions.textToBe(
                By.id("impact-verdict"), interactions.get("message").asText()));
    }

    private double bar(String row, String series) {
        return Double.parseDouble(attribute(row + "[data-series='" + series + "']", "data-value"));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("issue 12 item 11: the dashboard keeps the token in this tab only "
            + "(sessionStorage) and renders under its Content-Security-Policy")
    void theTokenStaysInThisTabAndThePageRendersUnderItsPolicy() {
        send("csp", "glitter", "");
        browser.get(fusion.uri("/#token=" + Running.ADMIN).toString());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".brand-card[data-brand='glitter']")));
        var js = (org.openqa.selenium.JavascriptExecutor) browser;
        assertThat(js.executeScript("return sessionStorage.getItem('fusion.token')"))
                .isEqualTo(Running.ADMIN);
        assertThat(js.executeScript("return localStorage.getItem('fusion.token')"))
                .isNull();
        assertThat(browser.getCurrentUrl()).doesNotContain(Running.ADMIN);
        // the stylesheet and the scripts ran under the policy: styled cards, drawn bars
        assertThat(js.executeScript(
                        "return document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 0"))
                .isEqualTo(Boolean.TRUE);
        assertThat(js.executeScript("return getComputedStyle(document.querySelector('.brand-card')).display"))
                .isNotEqualTo("inline");
    }
}
