package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.server.auth.ApiKeys;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The security of the server against a real one on a loopback port: keys on {@code /v1/*} (401 without or with a
 * wrong one), the refusal to bind beyond loopback without keys, 413 for an oversized body, each key's rpm and
 * concurrency limits (429 with {@code Retry-After}), and a canary key that never shows in a log line or an answer.
 */
class SecurityTest {

    /** A key with quotes, markup, an escape, a format specifier and shell metacharacters: what a leak carries verbatim. */
    static final String CANARY = "c4n4ry-\"quoted\"<b>&amp;'%s{}\\u00e9$(id)|;`KEY";
    private static final String PLAIN = "plain-key-0123456789abcdef";
    private static final String LIMITED = "limited-key-0123456789abcdef";
    private static final String SINGLE = "single-key-0123456789abcdef";

    @TempDir
    static Path dir;
    static ParallelRag engine;
    static ParallelRagServer server;
    static ListAppender<ILoggingEvent> logs;
    static Logger root;
    static Level rootLevel;
    static final CountDownLatch entered = new CountDownLatch(1);
    static final CountDownLatch release = new CountDownLatch(1);
    static final List<HttpResponse<String>> answers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO); // stricter than the CLI's WARN: nothing at INFO or above may carry a key
        ((Logger) LoggerFactory.getLogger("dev.parallelrag")).setLevel(Level.DEBUG);
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);

        engine = TestIndex.open(dir);
        ApiKeys keys = ApiKeys.parse(CANARY + " name=canary\n" + PLAIN + "\n" + LIMITED + " rpm=2\n" + SINGLE
                + " concurrency=1\n", "keys.txt");
        ServerRoutes routes = (r, context) -> r
                .get("/v1/hello", ctx -> ctx.result("hello"))
                .post("/v1/echo", ctx -> ctx.json(Map.of("bytes", ctx.body().length())))
                .get("/v1/slow", ctx -> {
                    entered.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    ctx.result("done");
                })
                .get("/v1/bug", ctx -> {
                    throw new IllegalStateException("bug");
                })
                .get("/open", ctx -> ctx.result("open"));
        server = ParallelRagServer.builder(engine, ServerConfig.builder().port(0).apiKeys(keys).maxJsonBodyBytes(100)
                .warmUp(false).build()).routes(List.of(new HealthRoutes(), routes)).start();
    }

    @AfterAll
    static void stop() {
        release.countDown();
        server.close();
        engine.close();
        root.detachAppender(logs);
        root.setLevel(rootLevel);
    }

    @Test
    void noKeyOrAWrongKeyIs401OnEveryV1PathAndTheRightKeyIsServed() {
        HttpResponse<String> none = record(Http.get(server.port(), "/v1/hello"));
        ErrorShapeTest.assertError(none, 401, "unauthorized");
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"parallelrag\"");
        assertThat(Http.json(none).at("/error/message").asText()).contains("Authorization: Bearer");

        ErrorShapeTest.assertError(record(get("/v1/hello", CANARY + "x")), 401, "unauthorized");
        ErrorShapeTest.assertError(record(get("/v1/hello", CANARY.substring(1))), 401, "unauthorized");
        ErrorShapeTest.assertError(record(Http.send(Http.request(server.port(), "/v1/hello")
                .header("Authorization", "Basic " + CANARY).build())), 401, "unauthorized");

        ErrorShapeTest.assertError(record(Http.get(server.port(), "/v1/no-such-route")), 401, "unauthorized");
        ErrorShapeTest.assertError(record(get("/v1/no-such-route", PLAIN)), 404, "not_found");

        HttpResponse<String> right = record(get("/v1/hello", CANARY));
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).isEqualTo("hello");
        assertThat(record(get("/v1/hello", PLAIN)).statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndRoutesOutsideV1NeedNoKey() {
        assertThat(record(Http.get(server.port(), "/health/live")).statusCode()).isEqualTo(200);
        assertThat(record(Http.get(server.port(), "/open")).statusCode()).isEqualTo(200);
    }

    @Test
    void anOversizedBodyIs413EvenWithAGoodKey() {
        HttpResponse<String> r = record(Http.send(Http.request(server.port(), "/v1/echo")
                .header("Authorization", "Bearer " + PLAIN).POST(HttpRequest.BodyPublishers.ofString("x".repeat(101)))
                .build()));

        ErrorShapeTest.assertError(r, 413, "payload_too_large");
        assertThat(record(Http.send(Http.request(server.port(), "/v1/echo").header("Authorization", "Bearer " + PLAIN)
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100))).build())).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeysRpmLimitIs429WithRetryAfterAndLeavesOtherKeysAlone() {
        assertThat(record(get("/v1/hello", LIMITED)).statusCode()).isEqualTo(200);
        assertThat(record(get("/v1/hello", LIMITED)).statusCode()).isEqualTo(200);
        HttpResponse<String> third = record(get("/v1/hello", LIMITED));

        ErrorShapeTest.assertError(third, 429, "rate_limited");
        assertThat(Http.json(third).at("/error/message").asText()).contains("key-3").contains("rpm");
        assertThat(Integer.parseInt(third.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        assertThat(record(get("/v1/hello", PLAIN)).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeysConcurrencyLimitIs429WhileItsRequestRunsAndFreesWhenItEnds() throws Exception {
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> get("/v1/slow", SINGLE));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> second = record(get("/v1/hello", SINGLE));
        ErrorShapeTest.assertError(second, 429, "rate_limited");
        assertThat(second.headers().firstValue("Retry-After")).contains("1");
        assertThat(Http.json(second).at("/error/message").asText()).contains("concurrency");
        assertThat(record(get("/v1/hello", PLAIN)).statusCode()).isEqualTo(200);

        release.countDown();
        assertThat(record(first.get(30, TimeUnit.SECONDS)).body()).isEqualTo("done");
        assertThat(record(get("/v1/hello", SINGLE)).statusCode()).isEqualTo(200);
    }

    @Test
    void aNonLoopbackBindWithoutKeysIsRefusedNamingHostAndHowToAddKeys() {
        for (String host : List.of("0.0.0.0", "::")) {
            assertThatThrownBy(() -> ServerConfig.builder().host(host).build()).isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("host"))
                    .hasMessageContaining("no API key").hasMessageContaining("--api-keys-file")
                    .hasMessageContaining("PARALLELRAG_API_KEYS").hasMessageContaining("127.0.0.1");
        }
        assertThat(ServerConfig.builder().host("0.0.0.0").apiKeys(ApiKeys.parse(PLAIN, "keys")).build().host())
                .isEqualTo("0.0.0.0");
        assertThat(ServerConfig.builder().host("localhost").build().apiKeys().isEmpty()).isTrue();
        assertThat(ServerConfig.builder().host("127.0.0.5").build().host()).isEqualTo("127.0.0.5");
    }

    @Test
    void theCanaryKeyIsInNoLogLineAnswerErrorOrToString() {
        record(get("/v1/hello", CANARY));
        record(get("/v1/hello", CANARY + "wrong"));
        record(get("/v1/bug", CANARY)); // a 500, logged with its stack trace
        record(Http.send(Http.request(server.port(), "/v1/echo").header("Authorization", "Bearer " + CANARY)
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(500))).build())); // a 413
        ApiKeys keys = ApiKeys.parse(CANARY, "keys");
        assertThatThrownBy(() -> ApiKeys.parse(CANARY + " rpm=many", "keys")).hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> keys.and(ApiKeys.fromEnvironment(CANARY))).hasMessageNotContaining(CANARY);

        synchronized (answers) { // this test's answers, and those of every test that ran before it
            for (HttpResponse<String> r : answers) {
                assertThat(r.body()).doesNotContain(CANARY).doesNotContain(CANARY.substring(0, 12));
                assertThat(r.headers().map().toString()).doesNotContain(CANARY);
            }
        }
        assertThat(server.config().toString()).doesNotContain(CANARY);
        assertThat(keys.toString()).doesNotContain(CANARY);
        assertThat(keys.clients().toString()).doesNotContain(CANARY);
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            lines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        assertThat(lines).as("the capture works: the 500 was logged").anyMatch(l -> l.contains("error id"));
        assertThat(lines).noneMatch(l -> l.contains(CANARY) || l.contains(CANARY.substring(0, 12)));
    }

    private static HttpResponse<String> get(String path, String key) {
        return Http.send(Http.request(server.port(), path).header("Authorization", "Bearer " + key).GET().build());
    }

    private static HttpResponse<String> record(HttpResponse<String> r) {
        synchronized (answers) {
            answers.add(r);
        }
        return r;
    }
}
