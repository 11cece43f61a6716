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
    private static final String QUESTION = "How should the African slave trade be suppressed?";
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

    @Test
    @Order(2)
    void askStreamsAnAnswerWithNumberedCitationsAndAClickShowsTheCitedPassage() throws IOException {
        open("#ask");
        page.findElement(By.id("ask-input")).sendKeys(QUESTION);
        page.findElement(By.id("ask-submit")).click();
        awaitAnswer();

        assertThat(text("answer")).isNotBlank();
        assertThat(text("answer-mode")).isEqualToIgnoringCase("extractive");
        List<WebElement> cites = page.findElements(By.cssSelector("#answer .cite"));
        List<WebElement> sources = page.findElements(By.cssSelector("#sources .source"));
        assertThat(cites).isNotEmpty();
        // every number in the answer is a listed source, and the sources are numbered 1..n
        List<String> sourceNumbers = sources.stream().map(s -> s.getDomAttribute("data-source")).toList();
        assertThat(sourceNumbers).containsExactlyElementsOf(
                IntStream.rangeClosed(1, sources.size()).mapToObj(Integer::toString).toList());
        assertThat(cites).allSatisfy(c -> assertThat(sourceNumbers).contains(c.getText()));
        // the same sources, in the same order, as the answer the API gives whole
        JsonNode whole = postJson("/v1/ask", Map.of("question", QUESTION, "k", 5, "mode", "hybrid"));
        List<String> expected = new ArrayList<>();
        whole.get("citations").forEach(c -> expected.add(c.get("number").asText() + " " + c.get("source").asText()));
        assertThat(sources.stream().map(s -> s.getDomAttribute("data-source") + " "
                + s.findElement(By.cssSelector(".path")).getText()).toList()).containsExactlyElementsOf(expected);
        chromium.screenshot(SCREENSHOTS.resolve("web-ask.png"));

        WebElement first = cites.getFirst();
        String number = first.getText();
        first.click();
        WebElement passage = page.findElement(By.id("passage"));
        waitUntil("the passage to show", d -> passage.isDisplayed());
        String cited = text("passage-text");
        String source = page.findElement(By.cssSelector("#passage-source strong")).getText();

        assertThat(text("passage-heading")).isEqualTo("Passage [" + number + "]");
        // the passage shown is the cited text of the source it names, quoted from the ingested file
        assertThat(cited).isNotBlank();
        Path file = dir.resolve(source);
        assertThat(Files.readString(file).replaceAll("\\s+", " ")).contains(cited.replaceAll("\\s+", " "));
        assertThat(first.getDomAttribute("aria-pressed")).isEqualTo("true");
        chromium.screenshot(SCREENSHOTS.resolve("web-citation.png"));
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    @Order(3)
    void searchListsTheHitsOfTheChosenMode() throws IOException {
        open("#search");
        page.findElement(By.id("search-input")).sendKeys("slave trade");
        for (String mode : List.of("vector", "hybrid", "keyword")) {
            page.findElement(By.cssSelector("label[for=mode-" + mode + "]")).click();
            page.findElement(By.id("search-submit")).click();
            waitUntil("the " + mode + " results", d -> text("search-summary").endsWith("(" + mode + ")")
                    || page.findElement(By.id("search-error")).isDisplayed());
            assertThat(page.findElement(By.id("search-error")).isDisplayed()).as(text("search-error")).isFalse();

            List<String> shown = page.findElements(By.cssSelector("#hits .hit .path")).stream().map(WebElement::getText).toList();
            JsonNode api = postJson("/v1/search", Map.of("query", "slave trade", "k", 10, "mode", mode));
            List<String> expected = new ArrayList<>();
            api.get("hits").forEach(h -> expected.add(h.get("source").asText()));
            assertThat(shown).as("hits in %s mode", mode).isNotEmpty().containsExactlyElementsOf(expected);
        }
        assertThat(page.findElements(By.cssSelector("#hits mark"))).isNotEmpty();
        chromium.screenshot(SCREENSHOTS.resolve("web-search.png"));
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    @Order(4)
    void onANarrowScreenThePassageStacksUnderTheAnswer() throws IOException {
        chromium.viewport(420, 900);
        try {
            open("#ask");
            page.findElement(By.id("ask-input")).sendKeys(QUESTION);
            page.findElement(By.id("ask-submit")).click();
            awaitAnswer();
            page.findElement(By.cssSelector("#answer .cite")).click();
            WebElement answer = page.findElement(By.id("answer-card"));
            WebElement passage = page.findElement(By.id("passage"));
            waitUntil("the passage to show", d -> passage.isDisplayed());

            assertThat(passage.getRect().getY()).isGreaterThan(answer.getRect().getY() + answer.getRect().getHeight() - 1);
            assertThat(passage.getRect().getX() + passage.getRect().getWidth()).isLessThanOrEqualTo(420);
            chromium.screenshot(SCREENSHOTS.resolve("web-narrow.png"));
        } finally {
            chromium.viewport(1280, 860);
        }
    }

    /** Loads the page afresh (a new URL that differs only in its fragment would not reload it). */
    private static void open(String fragment) {
        page.get("about:blank");
        page.get(base + "/" + fragment);
        waitUntil("the page to load", d -> ((JavascriptExecutor) d).executeScript("return document.readyState").equals("complete"));
    }

    /** Waits until the streamed answer is complete, and fails with the page's error if it shows one. */
    private static void awaitAnswer() {
        waitUntil("the answer to finish streaming", d -> page.findElement(By.id("answer-error")).isDisplayed()
                || ("false".equals(page.findElement(By.id("answer")).getDomAttribute("aria-busy"))
                    && !page.findElements(By.cssSelector("#sources .source")).isEmpty()));
        assertThat(page.findElement(By.id("answer-error")).isDisplayed()).as(text("answer-error")).isFalse();
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


    private static JsonNode postJson(String path, Map<String, Object> body) throws IOException {
        return Http.json(Http.post(server.port(), path, JSON.writeValueAsString(body)));
    }
}
