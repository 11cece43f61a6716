package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.pipeline.HashingEmbeddingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The web page in a real headless Chromium against the real server on a loopback port, over an index of the
 * repository's sample speeches with no LLM (answers are extractive). Each step saves a screenshot into
 * {@code target/screenshots} (or the directory named by {@code -Dparallelrag.screenshots}; docs/server.md shows
 * copies from {@code docs/img}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageBrowserTest {

    private static final Path SAMPLE = Path.of("../examples/sample");
    private static final Path SCREENSHOTS = Path.of(System.getProperty("parallelrag.screenshots", "target/screenshots"));
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int DIMENSION = 256;
    private static final String QUESTION = "What did Lincoln say about the slave trade?";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static ParallelRag engine;
    private static ParallelRagServer server;
    private static HeadlessChromium chromium;
    private static ChromeDriver page;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        chromium = HeadlessChromium.start(1280, 860); // first: without Chromium the test skips before building anything
        page = chromium.driver();
        Path index = dir.resolve("index");
        Path sample = Files.createDirectories(dir.resolve("sample"));
        try (Stream<Path> files = Files.list(SAMPLE)) {
            for (Path f : files.toList()) {
                Files.copy(f, sample.resolve(f.getFileName()));
            }
        }
        try (ParallelRag builder = engineOver(index)) {
            builder.ingest(List.of(sample));
        }
        engine = engineOver(index);
        server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).build());
        base = "http://127.0.0.1:" + server.port();
    }

    private static ParallelRag engineOver(Path index) {
        return ParallelRag.builder(index).embeddingModel(new HashingEmbeddingModel(DIMENSION)).embeddingCache(false).build();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    @Order(1)
    void healthShowsTheServerReadyWithItsComponents() throws IOException {
        open("#ask");
        waitUntil("the health badge to say Ready", d -> text("health-label").equals("Ready"));
        page.findElement(By.id("health-summary")).click();
        List<String> components = page.findElements(By.cssSelector("#health-components .cname")).stream()
                .map(WebElement::getText).toList();
        JsonNode ready = getJson("/health/ready");
        List<String> expected = new ArrayList<>();
        ready.get("components").fieldNames().forEachRemaining(expected::add);

        assertThat(components.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList())
                .containsExactlyElementsOf(expected).contains("store", "embedder");
        chromium.screenshot(SCREENSHOTS.resolve("web-health.png"));
        page.findElement(By.id("health-summary")).click();
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    /** Loads the page afresh (a new URL that differs only in its fragment would not reload it). */
    private static void open(String fragment) {
        page.get("about:blank");
        page.get(base + "/" + fragment);
        waitUntil("the page to load", d -> ((JavascriptExecutor) d).executeScript("return document.readyState").equals("complete"));
    }

    private static String text(String id) {
        return page.findElement(By.id(id)).getText();
    }

    private static void waitUntil(String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(page, PATIENCE).withMessage(what).until(condition::apply);
    }

    private static JsonNode getJson(String path) {
        return Http.json(Http.get(server.port(), path));
    }

}
