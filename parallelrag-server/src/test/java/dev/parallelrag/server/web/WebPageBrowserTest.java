package dev.parallelrag.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.pipeline.HashingEmbeddingModel;
import dev.parallelrag.server.ParallelRagServer;
import dev.parallelrag.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The web page in a real headless Chromium against the real server on a loopback port, over an index of the
 * repository's sample speeches with no LLM (answers are extractive): ask and read a cited passage, search in each
 * mode, upload a file and watch it to "stored", and the health status. Each step saves a screenshot into
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
        waitUntil(d -> text("health-label").equals("Ready"));
        page.findElement(By.id("health-summary")).click();
        List<String> components = page.findElements(By.cssSelector("#health-components .cname")).stream()
                .map(WebElement::getText).toList();
        JsonNode ready = getJson("/health/ready");
        List<String> expected = new ArrayList<>();
        ready.get("components").fieldNames().forEachRemaining(expected::add);

        assertThat(components).containsExactlyElementsOf(expected.stream().map(n -> n.equals("llm") ? "LLM" : n).toList())
                .contains("store");
        chromium.screenshot(SCREENSHOTS.resolve("health.png"));
        page.findElement(By.id("health-summary")).click();
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    @Order(2)
    void askStreamsAnAnswerWithNumberedCitationsAndAClickShowsTheCitedPassage() throws IOException {
        open("#ask");
        page.findElement(By.id("ask-input")).sendKeys(QUESTION);
        page.findElement(By.id("ask-submit")).click();
        waitUntil(d -> "false".equals(page.findElement(By.id("answer")).getDomAttribute("aria-busy"))
                && !page.findElements(By.cssSelector("#sources .source")).isEmpty());

        assertThat(page.findElement(By.id("answer-error")).isDisplayed()).isFalse();
        assertThat(text("answer")).isNotBlank();
        assertThat(text("answer-mode")).isEqualToIgnoringCase("extractive");
        List<WebElement> cites = page.findElements(By.cssSelector("#answer .cite"));
        List<WebElement> sources = page.findElements(By.cssSelector("#sources .source"));
        assertThat(cites).isNotEmpty();
        // every number in the answer is a listed source, and the sources are numbered 1..n
        List<String> sourceNumbers = sources.stream().map(s -> s.getDomAttribute("data-source")).toList();
        assertThat(sourceNumbers).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, sources.size()).mapToObj(Integer::toString).toList());
        assertThat(cites).allSatisfy(c -> assertThat(sourceNumbers).contains(c.getText()));
        assertThat(sources.getFirst().findElement(By.cssSelector(".path")).getText()).contains("1861_abraham_lincoln");
        chromium.screenshot(SCREENSHOTS.resolve("ask.png"));

        WebElement first = cites.getFirst();
        String number = first.getText();
        first.click();
        WebElement passage = page.findElement(By.id("passage"));
        waitUntil(d -> passage.isDisplayed());
        String cited = text("passage-text");
        String source = page.findElement(By.cssSelector("#passage-source strong")).getText();

        assertThat(text("passage-heading")).isEqualTo("Passage [" + number + "]");
        // the passage shown is the cited text of the source it names, quoted from the ingested file
        assertThat(cited).isNotBlank();
        Path file = dir.resolve("sample").resolve(Path.of(source).getFileName());
        assertThat(Files.readString(file).replaceAll("\\s+", " ")).contains(cited.replaceAll("\\s+", " "));
        assertThat(first.getDomAttribute("aria-pressed")).isEqualTo("true");
        chromium.screenshot(SCREENSHOTS.resolve("citation.png"));
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    @Order(3)
    void searchListsTheHitsOfTheChosenMode() throws IOException, InterruptedException {
        open("#search");
        page.findElement(By.id("search-input")).sendKeys("slave trade");
        for (String mode : List.of("vector", "hybrid", "keyword")) {
            page.findElement(By.cssSelector("label[for=mode-" + mode + "]")).click();
            page.findElement(By.id("search-submit")).click();
            waitUntil(d -> text("search-summary").endsWith("(" + mode + ")"));

            List<String> shown = page.findElements(By.cssSelector("#hits .hit .path")).stream().map(WebElement::getText).toList();
            JsonNode api = postJson("/v1/search", Map.of("query", "slave trade", "k", 10, "mode", mode));
            List<String> expected = new ArrayList<>();
            (api.isArray() ? api : api.get("hits")).forEach(h -> expected.add(h.get("source").asText()));
            assertThat(shown).as("hits in %s mode", mode).isNotEmpty().containsExactlyElementsOf(expected);
        }
        assertThat(page.findElements(By.cssSelector("#hits mark"))).isNotEmpty();
        chromium.screenshot(SCREENSHOTS.resolve("search.png"));
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    @Order(4)
    void anUploadedFileIsWatchedStepByStepUntilStoredAndThenFound() throws IOException, InterruptedException {
        Path upload = Files.writeString(dir.resolve("harbour-report.txt"), """
                Report on the harbour works. The new lighthouse at Cape Meridian was lit in October.
                The breakwater is finished, and the dredging of the channel will end next spring.
                """);
        open("#documents");
        ((JavascriptExecutor) page).executeScript("""
                window.__states = [];
                new MutationObserver((records) => {
                  for (const r of records) {
                    if (r.target.matches && r.target.matches('tr[data-file]')) window.__states.push(r.target.dataset.state);
                  }
                }).observe(document.getElementById('jobs'), { subtree: true, attributes: true, attributeFilter: ['data-state'] });
                """);
        page.findElement(By.id("file-input")).sendKeys(upload.toString());
        assertThat(text("selected-summary")).startsWith("harbour-report.txt");
        page.findElement(By.id("upload-submit")).click();
        By row = By.cssSelector("tr[data-file='harbour-report.txt']");
        waitUntil(d -> !page.findElements(row).isEmpty()
                && "stored".equals(page.findElement(row).getDomAttribute("data-state")));
        waitUntil(d -> page.findElement(By.cssSelector(".job .job-cancel")).getDomAttribute("hidden") != null);

        @SuppressWarnings("unchecked")
        List<String> states = (List<String>) ((JavascriptExecutor) page).executeScript("return window.__states;");
        assertThat(states).isNotEmpty().endsWith("stored").doesNotContain("failed");
        // the states the page showed only ever move forward: queued, reading, embedding, stored
        List<String> order = List.of("queued", "reading", "embedding", "stored");
        assertThat(states.stream().map(order::indexOf).toList()).isSorted().doesNotContain(-1);
        assertThat(page.findElement(By.cssSelector(".job .job-state")).getText()).isNotBlank();
        chromium.screenshot(SCREENSHOTS.resolve("upload.png"));

        JsonNode hits = postJson("/v1/search", Map.of("query", "lighthouse Cape Meridian", "k", 1, "mode", "keyword"));
        assertThat((hits.isArray() ? hits : hits.get("hits")).get(0).get("source").asText()).endsWith("harbour-report.txt");
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    @Order(5)
    void onANarrowScreenThePassageStacksUnderTheAnswer() throws IOException {
        page.manage().window().setSize(new Dimension(420, 900));
        try {
            open("#ask");
            page.findElement(By.id("ask-input")).sendKeys(QUESTION);
            page.findElement(By.id("ask-submit")).click();
            waitUntil(d -> "false".equals(page.findElement(By.id("answer")).getDomAttribute("aria-busy"))
                    && !page.findElements(By.cssSelector("#answer .cite")).isEmpty());
            page.findElement(By.cssSelector("#answer .cite")).click();
            WebElement answer = page.findElement(By.id("answer-card"));
            WebElement passage = page.findElement(By.id("passage"));
            waitUntil(d -> passage.isDisplayed());

            assertThat(passage.getRect().getY()).isGreaterThan(answer.getRect().getY() + answer.getRect().getHeight() - 1);
            assertThat(passage.getRect().getX() + passage.getRect().getWidth()).isLessThanOrEqualTo(420);
            ((JavascriptExecutor) page).executeScript("window.scrollTo(0, 0)");
            chromium.screenshot(SCREENSHOTS.resolve("narrow.png"));
        } finally {
            page.manage().window().setSize(new Dimension(1280, 860));
        }
    }

    private static void open(String fragment) {
        page.get(base + "/" + fragment);
        waitUntil(d -> ((JavascriptExecutor) d).executeScript("return document.readyState").equals("complete"));
    }

    private static String text(String id) {
        return page.findElement(By.id(id)).getText();
    }

    private static void waitUntil(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(page, PATIENCE).until(condition::apply);
    }

    private static JsonNode getJson(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    private static JsonNode postJson(String path, Map<String, Object> body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    private static JsonNode send(HttpRequest request) throws IOException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
