package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.IngestOptions;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.pipeline.HashingEmbeddingModel;
import dev.parallelrag.pipeline.IngestItem;
import dev.parallelrag.server.auth.ApiKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
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
 * repository's sample speeches with no LLM: the health status, an upload of three files watched to "stored", and the
 * API key dialog. Each step saves a screenshot into
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
        try (ParallelRag builder = engineOver(index); Stream<Path> files = Files.list(sample)) {
            // named as a user's folder would be, not by the temporary directory they sit in here
            builder.ingestItems(files.sorted().map(f -> IngestItem.file(f, "sample/" + f.getFileName())).toList(),
                    IngestOptions.defaults());
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

    @Test
    @Order(5)
    void uploadedFilesAreWatchedStepByStepUntilStoredAndThenListed() throws IOException {
        Map<String, String> uploads = Map.of(
                "harbour-report.txt", "Report on the harbour works. The new lighthouse at Cape Meridian was lit in October.\n"
                        + "The breakwater is finished, and the dredging of the channel will end next spring.\n",
                "canal-survey.md", "# Canal survey\n\nThe survey of the northern canal found the locks sound and the towpath"
                        + " in need of repair before the winter floods.\n",
                "post-roads.txt", "The post roads between the coastal towns were extended by forty miles this year, and"
                        + " the mail now reaches the western settlements weekly.\n");
        Path folder = Files.createDirectories(dir.resolve("uploads"));
        List<String> paths = new ArrayList<>();
        for (Map.Entry<String, String> u : uploads.entrySet()) {
            paths.add(Files.writeString(folder.resolve(u.getKey()), u.getValue()).toString());
        }
        open("#documents");
        // every state each row shows, in order, however fast the job's events come
        ((JavascriptExecutor) page).executeScript("""
                window.__states = {};
                new MutationObserver((records) => {
                  for (const r of records) {
                    if (r.target.matches && r.target.matches('tr[data-file]')) {
                      (window.__states[r.target.dataset.file] ||= []).push(r.target.dataset.state);
                    }
                  }
                }).observe(document.getElementById('jobs'), { subtree: true, attributes: true, attributeFilter: ['data-state'] });
                """);
        page.findElement(By.id("file-input")).sendKeys(String.join("\n", paths));
        assertThat(text("selected-summary")).startsWith("3 files");
        page.findElement(By.id("upload-submit")).click();
        waitUntil("the job to end", d -> page.findElement(By.id("upload-error")).isDisplayed()
                || (!page.findElements(By.cssSelector(".job")).isEmpty()
                    && page.findElement(By.cssSelector(".job .job-cancel")).getDomAttribute("hidden") != null));
        assertThat(page.findElement(By.id("upload-error")).isDisplayed()).as(text("upload-error")).isFalse();

        @SuppressWarnings("unchecked")
        Map<String, List<String>> states = (Map<String, List<String>>) ((JavascriptExecutor) page)
                .executeScript("return window.__states;");
        List<String> order = List.of("queued", "reading", "embedding", "stored");
        assertThat(states).containsOnlyKeys(uploads.keySet());
        // each file's states only ever move forward, from queued to stored
        assertThat(states).allSatisfy((file, seen) -> {
            assertThat(seen).as(file).startsWith("queued").endsWith("stored");
            assertThat(seen.stream().map(order::indexOf).toList()).as(file).isSorted().doesNotContain(-1);
        });
        assertThat(page.findElement(By.cssSelector(".job .job-state")).getText()).isEqualToIgnoringCase("done");
        assertThat(page.findElement(By.cssSelector(".job .job-counts")).getText()).startsWith("3 of 3 stored");
        chromium.screenshot(SCREENSHOTS.resolve("web-upload.png"));

        List<String> indexed = new ArrayList<>();
        getJson("/v1/documents?size=100").get("documents").forEach(d -> indexed.add(d.get("source").asText()));
        assertThat(indexed).containsAll(uploads.keySet());
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    @Order(6)
    void withKeysThePageAsksForOneKeepsItInTheTabAndSendsItAsBearer() throws IOException {
        String key = "web-page-test-key-" + Long.toHexString(System.nanoTime());
        ServerConfig keyed = ServerConfig.builder().port(0).apiKeys(ApiKeys.parse(key + " name=page", "test")).build();
        Path file = Files.writeString(Files.createDirectories(dir.resolve("keyed")).resolve("lock-keepers.txt"),
                "The lock keepers of the northern canal asked for a new house at the upper gate.\n");
        try (ParallelRagServer guarded = ParallelRagServer.start(engine, keyed)) {
            // another port is another origin: a session storage of its own, with no key in it yet
            page.get("http://127.0.0.1:" + guarded.port() + "/#documents");
            page.findElement(By.id("file-input")).sendKeys(file.toString());
            page.findElement(By.id("upload-submit")).click();
            WebElement dialog = page.findElement(By.id("key-dialog"));
            waitUntil("the key dialog", d -> dialog.isDisplayed());
            assertThat(page.switchTo().activeElement().getDomAttribute("id")).isEqualTo("key-input");
            page.findElement(By.id("key-input")).sendKeys(key);
            chromium.screenshot(SCREENSHOTS.resolve("web-key.png"));
            page.findElement(By.id("key-input")).sendKeys(Keys.ENTER);
            // the upload, and then its event stream, go with the key
            By row = By.cssSelector("tr[data-file='lock-keepers.txt']");
            waitUntil("the file to be stored", d -> page.findElement(By.id("upload-error")).isDisplayed()
                    || (!page.findElements(row).isEmpty() && "stored".equals(page.findElement(row).getDomAttribute("data-state"))));

            assertThat(page.findElement(By.id("upload-error")).isDisplayed()).as(text("upload-error")).isFalse();
            assertThat(dialog.isDisplayed()).isFalse();
            assertThat(text("key-button")).isEqualTo("API key set");
            JavascriptExecutor js = page;
            assertThat(js.executeScript("return sessionStorage.getItem('parallelrag.apiKey')")).isEqualTo(key);
            assertThat(js.executeScript("return localStorage.length + document.cookie.length")).isEqualTo(0L);
            assertThat(Http.get(guarded.port(), "/v1/documents").statusCode()).as("the same call without the key").isEqualTo(401);
            assertThat(chromium.consoleErrors()).allSatisfy(e -> assertThat(e).contains("401"));
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
