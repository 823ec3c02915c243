package fusion.server;

import com.deque.html.axecore.args.AxeRuleOptions;
import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven over ChromeDriver, with what the accessibility tests need on top
 * of Selenium: an emulated viewport (CSS pixels and device scale, so 200% zoom is a 720x450 viewport
 * at scale 2), emulated media features (prefers-reduced-motion), full-page screenshots and an axe-core
 * scan. axe.min.js comes inside Deque's jar; nothing is fetched at run time.
 */
final class Chromium implements AutoCloseable {
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    /** The impacts that fail the build. */
    static final Set<String> FAILING = Set.of("serious", "critical");

    final ChromeDriver driver;
    final WebDriverWait wait;

    /** A viewport in CSS pixels and its device scale factor. */
    record Viewport(String name, int width, int height, double scale, boolean mobile) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Viewport DESKTOP = new Viewport("1440x900", 1440, 900, 1, false);
    static final Viewport PHONE = new Viewport("390x844", 390, 844, 1, true);
    /** 1440x900 at 200% zoom: the same screen holds half as many CSS pixels each way. */
    static final Viewport ZOOM_200 = new Viewport("1440x900 at 200%", 720, 450, 2, false);

    /** Starts the browser; where it is missing the test is skipped, except in CI where that fails. */
    static Chromium start(Path profile) {
        return new Chromium(profile);
    }

    private Chromium(Path profile) {
        driver = launch(profile, 1440, 900);
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
    }

    /**
     * A headless Chromium of the given window size with its own profile directory. Outside CI a
     * machine without chromium and chromium-driver skips the test; in CI (which installs them) it fails.
     */
    static ChromeDriver launch(Path profile, int width, int height) {
        boolean installed = Files.isExecutable(DRIVER) && Files.isExecutable(BROWSER);
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    void viewport(Viewport v) {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", v.width(), "height", v.height(), "deviceScaleFactor", v.scale(), "mobile", v.mobile()));
    }

    void reducedMotion(boolean reduce) {
        driver.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of(
                        "features",
                        List.of(Map.of(
                                "name", "prefers-reduced-motion", "value", reduce ? "reduce" : "no-preference"))));
    }

    /** Loads {@code url} afresh, even when it differs from the current one only in its fragment. */
    void load(String url) {
        driver.get("about:blank");
        driver.get(url);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T until(Function<WebDriver, T> condition) {
        return wait.until(condition);
    }

    /** The viewport, or the whole page, as a PNG under {@code dir}, for a person to look at. */
    void screenshot(Path dir, String name, boolean wholePage) throws Exception {
        Files.createDirectories(dir);
        Map<String, Object> shot = driver.executeCdpCommand(
                "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", wholePage));
        Files.write(dir.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** One axe violation as a line: rule, impact, how many elements, the first few of them. */
    record Violation(String view, String rule, String impact, int nodes, String where) {
        boolean failing() {
            return FAILING.contains(impact);
        }

        @Override
        public String toString() {
            return view + ": " + rule + " (" + impact + ", " + nodes + ") " + where;
        }
    }

    /** axe's violations within {@code include} (a CSS selector), named for {@code view}. */
    List<Violation> axe(String view, String include) {
        AxeRuleOptions on = new AxeRuleOptions();
        on.setEnabled(true);
        AxeRunOptions options = new AxeRunOptions();
        // experimental in axe, and one the issue found: a visible label the accessible name must contain
        options.setRules(Map.of("label-content-name-mismatch", on));
        options.setResultTypes(List.of("violations")); // passes are not reported: a faster scan
        Results r = new AxeBuilder()
                .withOptions(options)
                .setTimeout(240)
                .include(include)
                .analyze(driver);
        if (r.getErrorMessage() != null)
            throw new IllegalStateException("axe failed on " + view + ": " + r.getErrorMessage());
        List<Violation> out = new ArrayList<>();
        for (Rule rule : r.getViolations()) {
            List<String> targets = rule.getNodes().stream()
                    .limit(3)
                    .map(n -> String.valueOf(n.getTarget()))
                    .toList();
            out.add(new Violation(
                    view, rule.getId(), rule.getImpact(), rule.getNodes().size(), String.join(" ", targets)));
        }
        return out;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
