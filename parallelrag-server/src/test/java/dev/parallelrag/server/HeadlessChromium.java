package dev.parallelrag.server;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * The distribution's headless Chromium, driven through the distribution's chromedriver.
 *
 * <p>Both executables are named explicitly, so Selenium Manager never runs and nothing is downloaded. When
 * either is missing the calling test is skipped with a message saying which package to install; CI installs
 * both ({@code scripts/ci-packages.sh}), so there it always runs.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("parallelrag.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("parallelrag.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts a browser with a viewport of the given size, or skips the test when Chromium is not installed. */
    static HeadlessChromium start(int width, int height) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                () -> "Skipped: the browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                        + CHROMEDRIVER + "); install them with scripts/ci-packages.sh or apt-get install chromium chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-US",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        HeadlessChromium chromium = new HeadlessChromium(new ChromeDriver(service, options));
        chromium.viewport(width, height);
        return chromium;
    }

    /** Resizes the window so that the page itself (what a screenshot shows) is {@code width} x {@code height}. */
    void viewport(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        Map<?, ?> inner = (Map<?, ?>) driver.executeScript("return {w: window.innerWidth, h: window.innerHeight};");
        int frameWidth = width - ((Number) inner.get("w")).intValue();
        int frameHeight = height - ((Number) inner.get("h")).intValue();
        if (frameWidth != 0 || frameHeight != 0) {
            driver.manage().window().setSize(new Dimension(width + frameWidth, height + frameHeight));
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Saves a PNG of the viewport. */
    Path screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** The page's console messages at level SEVERE (uncaught errors, failed loads) since the last call. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
