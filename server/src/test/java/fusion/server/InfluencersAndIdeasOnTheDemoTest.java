package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.server.demo.DemoLoader;
import fusion.server.demo.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 15 on the demo scenario (800 consumers, loaded once through the Segment API): the
 * influencers and the ideas stream through the API and in the dashboard, in the system's headless
 * Chromium (as {@link DashboardBrowserTest}: in CI its absence fails).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InfluencersAndIdeasOnTheDemoTest {
    static final int CONSUMERS = 800;

    @TempDir
    static Path dir;

    @TempDir
    static Path profileDir;

    Running fusion;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void loadTheDemo() throws Exception {
        fusion = new Running(dir);
        var messages = new Scenario(2026, CONSUMERS, Instant.now()).messages();
        new DemoLoader(fusion.uri("/"), Running.WRITE_KEY, null).load(messages);
    }

    @AfterAll
    void stop() {
        if (fusion != null) fusion.close();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) browser.quit();
        browser = null;
    }

    private void openBrowser(String fragment) {
        browser = Chromium.launch(profileDir, 1400, 1000);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        browser.get(fusion.uri("/#token=" + Running.ADMIN + "&" + fragment).toString());
    }

    private JsonNode row(JsonNode answer, String party) {
        for (JsonNode r : answer.path("influencers")) {
            if (r.path("party").asText().equals(party)) return r;
        }
        throw new AssertionError(party + " is not among " + answer);
    }

    @Test
    @DisplayName(
            "issue 15: on the demo the artist comes out an active influencer of glitter, first, with her pushes as evidence")
    void theArtistIsActive() {
        var reply = fusion.call("GET", "/api/influencers?brand=glitter&limit=500", Running.ADMIN, null);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode popstar = row(reply.body(), "popstar");
        assertThat(popstar.path("role").asText()).isEqualTo("active");
        assertThat(popstar.path("afterPushes").path("significant").asBoolean()).isTrue();
        assertThat(popstar.path("evidence").toString()).contains("wore the brand's sweater at the concert");
        assertThat(reply.body().path("influencers").get(0).path("party").asText())
                .isEqualTo("popstar");
    }

    @Test
    @DisplayName(
            "issue 15: on the demo the quiet trend-setter comes out a passive influencer of rivalwear: seen three times, never posting")
    void theQuietTrendSetterIsPassive() {
        var reply = fusion.call("GET", "/api/influencers?brand=rivalwear&limit=500", Running.ADMIN, null);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode quiet = row(reply.body(), "quietcool");
        assertThat(quiet.path("role").asText()).isEqualTo("passive");
        assertThat(quiet.path("pushes").asInt()).isZero();
        assertThat(quiet.path("sightings").asInt()).isEqualTo(3);
        var profile = fusion.call("GET", "/api/profiles/quietcool/influence", Running.ADMIN, null);
        assertThat(profile.body().path("influencers").get(0).path("role").asText())
                .isEqualTo("passive");
    }

    @Test
    @DisplayName("issue 15: the influencers route needs a known brand and a token")
    void theRouteRefusesWhatItCannotAnswer() {
        assertThat(fusion.call("GET", "/api/influencers", Running.ADMIN, null)
                        .body()
                        .path("field")
                        .asText())
                .isEqualTo("brand");
        assertThat(fusion.call("GET", "/api/influencers?brand=nope", Running.ADMIN, null)
                        .status())
                .isEqualTo(404);
        assertThat(fusion.call("GET", "/api/influencers?brand=glitter", null, null)
                        .status())
                .isEqualTo(401);
    }

    @Test
    @DisplayName(
            "issue 15: the demo's ideas: demo-alice's idea and demo-chiara's review suggestion are one idea with the fans' votes; demo-bruno's is adopted")
    void theDemoHasIdeas() {
        JsonNode glitter = fusion.call("GET", "/api/brands/glitter/ideas", Running.ADMIN, null)
                .body();
        JsonNode sweater = glitter.get(0);
        assertThat(sweater.path("title").asText()).isEqualTo("the one-shoulder sweater in recycled yarn");
        assertThat(sweater.path("contributors").toString()).contains("demo-chiara");
        assertThat(sweater.path("votes").asInt()).isEqualTo(5);
        JsonNode brewline = fusion.call("GET", "/api/brands/brewline/ideas", Running.ADMIN, null)
                .body();
        assertThat(brewline.toString()).contains("\"status\":\"adopted\"").contains("loan machine");
    }

    @Test
    @DisplayName(
            "issue 15: the brand panel lists influencers per brand, the artist active on glitter, and the profile says it too")
    void theInfluencersPanel() {
        openBrowser("brand=glitter");
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#influencers-table tr.influencer[data-party='popstar'][data-role='active']")));
        assertThat(browser.findElement(By.cssSelector("#influencers-table tr.influencer[data-party='popstar']"))
                        .getText())
                .contains("wore the brand's sweater at the concert");
        browser.get(fusion.uri("/#brand=rivalwear&profile=quietcool").toString());
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#influencers-table tr.influencer[data-party='quietcool'][data-role='passive']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#influence li.influence[data-brand='rivalwear'][data-role='passive']")));
    }

    @Test
    @DisplayName(
            "issue 15: the ideas view lists the brand's ideas with votes, and an operator's status change credits the contributors")
    void theIdeasView() {
        openBrowser("brand=brewline");
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#ideas-table tr.idea[data-status='adopted']")));
        String id = browser.findElement(By.cssSelector("#ideas-table tr.idea[data-status='adopted']"))
                .getAttribute("data-idea");
        new Select(browser.findElement(
                        By.cssSelector("#ideas-table tr.idea[data-idea='" + id + "'] select.idea-status")))
                .selectByValue("shipped");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ideas-status"), "credited demo-bruno"));
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#ideas-table tr.idea[data-idea='" + id + "'][data-status='shipped']")));
        JsonNode ledger = fusion.call("GET", "/api/profiles/demo-bruno/ledger?brand=brewline", Running.ADMIN, null)
                .body();
        assertThat(ledger.toString()).contains("idea shipped");
    }
}
