package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in the system's headless Chromium against a real server: brand health, the
 * customer 360 with its ledger causes, live updates, and the token form. Needs Debian's
 * {@code chromium} and {@code chromium-driver} (installed by .ci/run); in CI their absence fails.
 */
class DashboardBrowserTest {
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path BROWSER = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;
    @TempDir
    Path profileDir;
    Running fusion;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() {
        boolean installed = Files.isExecutable(DRIVER) && Files.isExecutable(BROWSER);
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed");
        }
        fusion = new Running(dir);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profileDir);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
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
        String fusionText = browser.findElement(By.cssSelector(".brand-card[data-brand='glitter'] .fusion")).getText();
        assertThat(Double.parseDouble(fusionText.replaceAll("[^0-9.]", ""))).isGreaterThan(50);

        browser.findElement(By.id("search")).sendKeys("ana");
        // the list re-renders as results arrive: click whichever element is current
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.ElementClickInterceptedException.class).until(d -> {
                    var result = d.findElement(By.cssSelector(".result[data-profile='ana']"));
                    ((org.openqa.selenium.JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'})", result);
                    result.click();
                    return true;
                });
        wait.until(ExpectedConditions.textToBe(By.id("profile-id"), "ana"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".relationship[data-brand='glitter']")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#profile"), "spent 120"));
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("Order Completed");

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
    }
}
