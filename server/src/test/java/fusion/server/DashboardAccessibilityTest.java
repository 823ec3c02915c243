package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.server.Chromium.Viewport;
import fusion.server.Chromium.Violation;
import fusion.server.demo.DemoLoader;
import fusion.server.demo.Scenario;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Issue 17: the dashboard against WCAG 2.1 AA in the system's headless Chromium, over one demo
 * scenario served once and one browser for every check. axe-core scans every view at a desktop and
 * a phone size; the other checks are the ones axe cannot make (charts' text alternatives, colour as
 * the only carrier of meaning, keyboard use, focus and live regions, motion, zoom).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardAccessibilityTest {
    @TempDir
    static Path dir;

    @TempDir
    static Path profileDir;

    Running fusion;
    Chromium chromium;

    @BeforeAll
    void start() throws Exception {
        chromium = Chromium.start(profileDir);
        fusion = new Running(dir);
        new DemoLoader(fusion.uri("/"), Running.WRITE_KEY, null)
                .load(new Scenario(2026, 150, Instant.now()).messages());
        // every panel with something in it: an action with its impact, a decision, a consent record
        String concert = LocalDate.now(ZoneOffset.UTC).minusDays(30).toString();
        assertThat(fusion.call("POST", "/api/brands/glitter/actions", Running.ADMIN, """
            {"name": "popstar concert", "kind": "concert", "starts": "%sT20:00:00Z"}""".formatted(concert))
                        .status())
                .isEqualTo(201);
        assertThat(fusion.call("POST", "/api/decisions", Running.ADMIN, "{\"profile\": \"demo-alice\"}")
                        .status())
                .isBetween(200, 201);
        assertThat(fusion.call(
                                "POST",
                                "/api/profiles/demo-alice/consents",
                                Running.ADMIN,
                                "{\"purpose\": \"sharing\", \"granted\": true, \"ttlDays\": 30, \"source\": \"test\"}")
                        .status())
                .isEqualTo(201);
    }

    @AfterAll
    void stop() {
        if (chromium != null) chromium.close();
        if (fusion != null) fusion.close();
    }

    static List<Viewport> sizes() {
        return List.of(Chromium.DESKTOP, Chromium.PHONE);
    }

    private String url(String fragment) {
        return fusion.uri("/#" + fragment).toString();
    }

    private void waitFor(String css) {
        chromium.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** The dashboard with glitter's health and alice's 360 open, every panel loaded. */
    private void openEverything() {
        chromium.load(url("token=" + Running.ADMIN + "&brand=glitter&profile=demo-alice"));
        for (String css : List.of(
                "#impact-chart path.line-observed",
                "#actions-table tr.brand-action",
                "#dead-letters tbody tr",
                ".relationship .ledger-entry",
                "#value [data-figure], #value .value-message",
                "#next-step .next-step-card",
                "#decisions-table tr.decision",
                "#consent-history .consent-record",
                "#audit-table .audit-entry",
                "#timeline tbody tr",
                "#sankey g.sankey-node",
                "#heatmap td.heat",
                "#attribution-chart .attribution-row",
                "#orbit .orbit-row",
                "#stats .stat")) {
            waitFor(css);
        }
        // what hides behind a toggle is checked too
        chromium.js("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
    }

    @ParameterizedTest(name = "at {0}")
    @MethodSource("sizes")
    @DisplayName("issue 17 item 1: axe-core finds no serious or critical violation on any view")
    void axeFindsNoSeriousOrCriticalViolationOnAnyView(Viewport size) throws Exception {
        chromium.viewport(size);
        List<Violation> found = new ArrayList<>();

        chromium.load(url("token=not-the-token"));
        chromium.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-error")));
        found.addAll(chromium.axe("token form", "body"));

        openEverything();
        found.addAll(chromium.axe("header", "header"));
        found.addAll(chromium.axe("brand health", "#brand-section"));
        found.addAll(chromium.axe("customer 360", "#customer-section"));
        found.addAll(chromium.axe("journeys", "#journeys-section"));
        found.addAll(chromium.axe("store stats", "#stats"));
        chromium.screenshot(
                Path.of("target", "dashboard-screenshots"), "dashboard-" + size.width() + "x" + size.height(), true);

        // the forms as they look with an error next to a field
        chromium.driver.findElement(By.id("consent-ttl")).clear();
        chromium.driver.findElement(By.id("consent-ttl")).sendKeys("-3");
        chromium.js("document.getElementById('consent-submit').click()");
        chromium.until(ExpectedConditions.textToBePresentInElementLocated(By.id("consent-ttl-error"), "ttlDays"));
        chromium.driver.findElement(By.id("action-name")).sendKeys("spring sale");
        chromium.driver.findElement(By.id("action-starts")).sendKeys("last friday");
        chromium.js("document.getElementById('action-submit').click()");
        chromium.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-starts-error"), "ISO-8601"));
        found.addAll(chromium.axe("consent form with an error", "#consent-form"));
        found.addAll(chromium.axe("action form with an error", "#action-form"));

        found.forEach(v -> System.out.println("axe " + size + " " + v));
        assertThat(found.stream()
                        .filter(Violation::failing)
                        .map(Violation::toString)
                        .toList())
                .as("serious or critical axe violations at " + size)
                .isEmpty();
    }

    /** The text of {@code css}, read again if the live refresh redrew it meanwhile. */
    private String text(String css) {
        return chromium.until(d -> d.findElement(By.cssSelector(css)).getText());
    }

    private List<String> texts(String css) {
        return chromium.until(d -> d.findElements(By.cssSelector(css)).stream()
                .map(WebElement::getText)
                .toList());
    }

    /** Opens a chart's data table with the keyboard and returns its body rows. */
    private List<WebElement> openTable(String toggle, String table) {
        WebElement summary = chromium.driver.findElement(By.cssSelector("#" + toggle + " summary"));
        chromium.js(
                "arguments[0].closest('details').open = false; arguments[0].scrollIntoView({block: 'center'})",
                summary);
        summary.sendKeys(Keys.ENTER);
        chromium.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#" + table + " tbody tr")));
        return chromium.driver.findElements(By.cssSelector("#" + table + " tbody tr"));
    }

    @Test
    @DisplayName(
            "issue 17 item 2: every chart has a caption with its headline figure and its data in a table behind a toggle")
    void everyChartHasACaptionWithItsHeadlineFigureAndItsDataInATableBehindAToggle() {
        chromium.viewport(Chromium.DESKTOP);
        openEverything();

        // brand health: one row per day the API gives, the latest scored fusion in the caption
        JsonNode brand = fusion.get("/api/brands/glitter?days=90").body();
        JsonNode lastScored = null;
        for (JsonNode d : brand.get("series")) if (d.get("fusion").isNumber()) lastScored = d;
        assertThat(lastScored).isNotNull();
        assertThat(text("#brand-chart-caption"))
                .contains(String.format(
                        Locale.ROOT, "fusion %.1f", lastScored.get("fusion").asDouble()))
                .contains(lastScored.get("day").asText());
        assertThat(openTable("brand-data-toggle", "brand-data"))
                .hasSize(brand.get("series").size());

        // the impact of the declared action: one row per day, the average effect in the caption
        JsonNode action = fusion.get("/api/brands/glitter/actions").body().get(0);
        JsonNode impact = fusion.get(
                        "/api/brands/glitter/actions/" + action.get("id").asText() + "/impact?metric=sales")
                .body();
        assertThat(text("#impact-caption"))
                .contains("popstar concert starts on "
                        + impact.get("interventionDay").asText());
        if (impact.get("regression").isObject())
            assertThat(text("#impact-caption")).contains("Average effect");
        assertThat(openTable("impact-data-toggle", "impact-data"))
                .hasSize(impact.get("series").size());

        // journeys of the brand shown: the top paths, the commonest one named with its count
        String shown = chromium.driver.findElement(By.id("journey-body")).getAttribute("data-brand");
        JsonNode journeys = fusion.get("/api/journeys").body(), paths = null;
        for (JsonNode b : journeys.get("brands")) {
            if (b.get("brand").asText().equals(shown)
                    && b.get("segment").asText().equals("all")) paths = b.get("topPaths");
        }
        assertThat(paths).isNotNull();
        JsonNode top = null;
        for (JsonNode p : paths)
            if (top == null || p.get("journeys").asLong() > top.get("journeys").asLong()) top = p;
        List<String> channels = new ArrayList<>();
        top.get("channels").forEach(c -> channels.add(c.asText()));
        assertThat(text("#sankey-caption"))
                .startsWith("The most common path, " + String.join(" → ", channels) + ", holds "
                        + String.format(Locale.ROOT, "%,d", top.get("journeys").asLong()));
        assertThat(openTable("sankey-data-toggle", "sankey-data")).hasSize(paths.size());

        // share of orbit: every brand, the largest share of interactions named
        JsonNode leader = null;
        for (JsonNode o : journeys.get("orbit")) {
            if (leader == null
                    || o.get("interactionShare").asDouble()
                            > leader.get("interactionShare").asDouble()) leader = o;
        }
        assertThat(text("#orbit-caption"))
                .contains(String.format(
                        Locale.ROOT,
                        "%.1f%%",
                        100 * leader.get("interactionShare").asDouble()));
        List<WebElement> orbitRows = openTable("orbit-data-toggle", "orbit-data");
        assertThat(orbitRows).hasSize(journeys.get("orbit").size());

        // attribution: every channel (the chart draws the top 15), the linear leader in the caption
        JsonNode a =
                fusion.get("/api/journeys/attribution?by=channel&order=1,2").body();
        JsonNode lead = null;
        for (JsonNode c : a.get("heuristics")) {
            if (lead == null
                    || c.get("linearConversions").asDouble()
                            > lead.get("linearConversions").asDouble()) lead = c;
        }
        assertThat(text("#attribution-caption"))
                .startsWith(lead.get("channel").asText() + " earns the most credit, "
                        + String.format(
                                Locale.ROOT,
                                "%.1f",
                                lead.get("linearConversions").asDouble()));
        assertThat(openTable("attribution-data-toggle", "attribution-data"))
                .hasSize(a.get("heuristics").size());
    }

    @Test
    @DisplayName(
            "issue 17 item 2: colour is never the only carrier of meaning (ledger signs, competitor badges, consent states)")
    void colourIsNeverTheOnlyCarrierOfMeaning() {
        chromium.viewport(Chromium.DESKTOP);
        openEverything();
        // the ledger's changes carry their sign in text, and it agrees with before and after
        // (read in one go: the live refresh may redraw the ledger between two reads)
        List<?> entries = (List<?>) chromium.js("""
                return [...document.querySelectorAll('.ledger-entry')].map((e) => [e.querySelector('.before').textContent,
                  e.querySelector('.after').textContent, e.querySelector('.delta').textContent]);""");
        assertThat(entries).isNotEmpty();
        for (Object o : entries) {
            List<?> e = (List<?>) o;
            double before = Double.parseDouble((String) e.get(0)), after = Double.parseDouble((String) e.get(1));
            String delta = (String) e.get(2);
            assertThat(delta).matches("[+−±]\\d+\\.\\d");
            if (after - before > 0.15) assertThat(delta).startsWith("+");
            if (after - before < -0.15) assertThat(delta).startsWith("−");
        }
        // every competitor the API knows is marked in words on its card
        for (JsonNode b : fusion.get("/api/brands").body()) {
            String card = text(".brand-card[data-brand='" + b.get("id").asText() + "']");
            if (b.get("competitor").asBoolean()) assertThat(card).contains("competitor");
            else assertThat(card).doesNotContain("competitor");
        }
        // consent states are words, not only green and red
        assertThat(texts("#consent-verdicts tbody tr td:nth-child(3)"))
                .isNotEmpty()
                .allMatch(t -> t.matches(".*(allowed|denied)"));
        assertThat(texts("#consent-history .consent-record .badge"))
                .isNotEmpty()
                .allMatch(t -> t.matches("granted|revoked"));
    }

    /** What has the focus, and whether a sighted keyboard user can see where it is. */
    private record Focus(
            String id, String tag, String text, String profile, String brand, boolean shown, boolean onScreen) {}

    private static final String FOCUS = """
            const e = document.activeElement, cs = getComputedStyle(e), r = e.getBoundingClientRect();
            const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
            return [e.id, e.tagName.toLowerCase(), (e.innerText || '').slice(0, 80), e.dataset.profile || '', e.dataset.brand || '',
              outline || cs.boxShadow !== 'none', r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth];""";

    private Focus focus() {
        List<?> f = (List<?>) chromium.js(FOCUS);
        return new Focus(
                (String) f.get(0),
                (String) f.get(1),
                (String) f.get(2),
                (String) f.get(3),
                (String) f.get(4),
                (Boolean) f.get(5),
                (Boolean) f.get(6));
    }

    private void press(CharSequence key) {
        new Actions(chromium.driver).sendKeys(key).perform();
    }

    /** Tabs until {@code goal} holds, at most {@code limit} times; every stop on the way shows its focus. */
    private Focus tabUntil(java.util.function.Predicate<Focus> goal, int limit) {
        for (int i = 0; i < limit; i++) {
            press(Keys.TAB);
            Focus f = chromium.until(d -> {
                Focus now = focus();
                return now.onScreen() ? now : null; // the page scrolls the focused element into view
            });
            assertThat(f.shown()).as("a visible focus on %s", f).isTrue();
            if (goal.test(f)) return f;
        }
        throw new AssertionError("not reached in " + limit + " Tab presses; focus is on " + focus());
    }

    @Test
    @DisplayName(
            "issue 17 item 3: the seed 000 story with the keyboard only: find popstar, open her 360, read the ledger")
    void theSeedStoryCanBeWalkedWithTheKeyboardOnly() {
        chromium.viewport(Chromium.DESKTOP);
        chromium.reducedMotion(false);
        chromium.load(url("token=" + Running.ADMIN));
        waitFor("#results .result");
        waitFor(".brand-card[data-brand='glitter']");

        // the first stop skips the header; Enter on it puts the focus at the start of the content
        Focus skip = tabUntil(f -> true, 1);
        assertThat(skip.text()).isEqualTo("Skip to content");
        press(Keys.ENTER);
        assertThat(focus().id()).isEqualTo("main");

        tabUntil(f -> f.id().equals("search"), 60);
        press("popstar");
        press(Keys.ENTER);
        chromium.until(ExpectedConditions.textToBePresentInElementLocated(By.id("results-note"), "for “popstar”"));
        tabUntil(f -> f.profile().equals("popstar"), 25);
        press(Keys.ENTER);

        // the profile opens and the keyboard lands on its heading, with her relationships after it
        chromium.until(ExpectedConditions.textToBe(By.id("profile-id"), "popstar"));
        chromium.until(d -> focus().id().equals("profile-title"));
        JsonNode rels = fusion.get("/api/profiles/popstar/relationships").body();
        String withLedger = null;
        for (JsonNode r : rels) {
            if (r.get("brand").asText().equals("salmonella") && r.get("ledger").size() > 0) withLedger = "salmonella";
        }
        assertThat(withLedger).as("the story's tweet left salmonella a ledger").isNotNull();
        Focus toggle = tabUntil(f -> f.tag().equals("summary") && f.brand().equals("salmonella"), 40);
        assertThat(toggle.text()).contains("ledger");

        // what the story says happened is there to read, on screen
        assertThat((Boolean) chromium.js(
                        "const r = document.querySelector(\".relationship[data-brand='salmonella'] .ledger\")"
                                + ".getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0"))
                .isTrue();
        assertThat(text(".relationship[data-brand='salmonella'] .ledger"))
                .contains("tweeted blaming the waitstaff for a bad salmon dish");
        assertThat(text(".relationship[data-brand='glitter'] .ledger")).isNotEmpty();
    }

    @Test
    @DisplayName("issue 17 item 3: the live refresh keeps the focus where it is and says nothing when nothing changed")
    void theLiveRefreshKeepsTheFocusAndSaysNothingWhenNothingChanged() {
        chromium.viewport(Chromium.DESKTOP);
        chromium.load(url("token=" + Running.ADMIN));
        waitFor(".brand-card[data-brand='glitter']");
        chromium.js("""
                window.__polls = 0; window.__spoken = [];
                const real = window.fetch;
                window.fetch = (u, o) => { if (String(u) === '/api/brands') window.__polls++; return real(u, o); };
                const seen = new MutationObserver((ms) => ms.forEach((m) => window.__spoken.push(
                  (m.target.closest ? m.target : m.target.parentElement).closest('[aria-live], [role=status], [role=alert]').id)));
                document.querySelectorAll('[aria-live], [role=status], [role=alert]').forEach((n) =>
                  seen.observe(n, { childList: true, characterData: true, subtree: true }));
                document.querySelector(".brand-card[data-brand='glitter']").focus();""");

        // two polls with nothing new: no live region changes
        chromium.until(d -> ((Number) chromium.js("return window.__polls")).intValue() >= 2);
        assertThat((List<?>) chromium.js("return window.__spoken")).isEmpty();

        // a new event at glitter redraws its card: the focus moves to the new card, nothing is announced
        String before = text(".brand-card[data-brand='glitter'] .brand-meta");
        String t = Instant.now().minusSeconds(30).toString();
        assertThat(fusion.postJson("/v1/batch", """
            {"batch": [{"type": "track", "messageId": "a11y-live", "userId": "demo-alice", "event": "Order Completed",
              "properties": {"brand": "glitter", "revenue": 40}, "timestamp": "%s"}]}""".formatted(t)).status()).isEqualTo(200);
        chromium.until(
                d -> !text(".brand-card[data-brand='glitter'] .brand-meta").equals(before));
        assertThat(focus().brand()).isEqualTo("glitter");
        assertThat(focus().tag()).isEqualTo("button");
        assertThat((List<?>) chromium.js("return window.__spoken")).isEmpty();
    }

    @Test
    @DisplayName("issue 17 item 3: prefers-reduced-motion stops the pulse and the smooth scrolling")
    void prefersReducedMotionStopsThePulseAndTheSmoothScrolling() {
        chromium.viewport(Chromium.DESKTOP);
        String motion = "return [getComputedStyle(document.querySelector('#status .dot')).animationName,"
                + " getComputedStyle(document.documentElement).scrollBehavior]";
        try {
            chromium.reducedMotion(false);
            chromium.load(url("token=" + Running.ADMIN));
            chromium.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "up"));
            assertThat(String.valueOf(chromium.js(motion))).isEqualTo("[pulse, smooth]");

            chromium.reducedMotion(true);
            chromium.load(url("token=" + Running.ADMIN));
            chromium.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "up"));
            assertThat(String.valueOf(chromium.js(motion))).isEqualTo("[none, auto]");
        } finally {
            chromium.reducedMotion(false);
        }
    }

    static List<Viewport> narrow() {
        return List.of(Chromium.PHONE, Chromium.ZOOM_200);
    }

    @ParameterizedTest(name = "at {0}")
    @MethodSource("narrow")
    @DisplayName(
            "issue 17 item 3: the layout holds on a phone and at 200% zoom: no sideways scrolling, the live status in view")
    void theLayoutHoldsOnAPhoneAndAt200PercentZoom(Viewport size) throws Exception {
        chromium.viewport(size);
        openEverything();
        chromium.js("window.scrollTo(0, 0)");
        chromium.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "up"));
        List<?> fit = (List<?>) chromium.js("""
                const r = document.getElementById('status').getBoundingClientRect();
                return [document.documentElement.scrollWidth, innerWidth, r.left, r.right, r.top, r.bottom];""");
        // a phone widens its layout viewport to fit what is too wide: compare with the screen's width
        long width = size.width();
        // the innermost boxes that stick out past the screen: the ones that force the page wide (looked for
        // without the phone's widened layout viewport, where everything fluid would stick out too)
        if (size.mobile())
            chromium.viewport(new Viewport(size.name(), size.width(), size.height(), size.scale(), false));
        Object wide = chromium.js("""
                // clipped by a scroll box it lies in: one in its containing-block chain, which an absolutely
                // positioned box leaves until it meets a positioned ancestor (how a .sr-only span escapes a .table-wrap)
                const clipped = (e) => { let loose = ['absolute', 'fixed'].includes(getComputedStyle(e).position);
                  for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                    const cs = getComputedStyle(a);
                    if (loose && cs.position === 'static') continue;
                    if (cs.overflowX !== 'visible' && a.getBoundingClientRect().right <= arguments[0] + 1) return true;
                    loose = ['absolute', 'fixed'].includes(cs.position); }
                  return false; };
                const out = (e) => e.getClientRects().length && e.getBoundingClientRect().right > arguments[0] + 1 && !clipped(e);
                const name = (e) => e.tagName + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className
                  ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' (' + Math.round(e.getBoundingClientRect().right) + ')';
                return [...document.querySelectorAll('body *')].filter((e) => out(e) && ![...e.children].some(out))
                  .slice(0, 12).map(name).join(', ');""", width);
        chromium.viewport(size);
        assertThat(((Number) fit.get(0)).longValue())
                .as("page width at %s; too wide: %s", size, wide)
                .isLessThanOrEqualTo(width);
        assertThat(((Number) fit.get(1)).longValue()).as("layout viewport").isEqualTo(width);
        assertThat(((Number) fit.get(2)).doubleValue()).as("status left").isGreaterThanOrEqualTo(0);
        assertThat(((Number) fit.get(3)).doubleValue()).as("status right").isLessThanOrEqualTo(width);
        assertThat(text("#status")).contains("live");
        chromium.screenshot(
                Path.of("target", "dashboard-screenshots"), "top-" + size.width() + "x" + size.height(), false);
    }
}
