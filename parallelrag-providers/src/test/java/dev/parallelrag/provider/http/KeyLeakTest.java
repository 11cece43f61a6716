package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.health.HealthRegistry;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * A recognisable fake key never shows up in logs, exception messages, stats, health or toString: not as it
 * is, and not as a server echoes it back in an error body, JSON-escaped or URL-encoded. Every key holds the
 * word {@code CANARY}, which no output may contain, so that a partly masked key fails too.
 */
class KeyLeakTest {

    /** A plain key, and one with the characters that escaping and URL encoding change. */
    static List<String> keys() {
        return List.of("sk-LEAKCANARY-7f3a9c1e5b2d4068", "sk-proj/LEAK+CANARY/7f3a+9c1e==");
    }
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level rootLevel;
    private final List<ch.qos.logback.core.Appender<ILoggingEvent>> others = new ArrayList<>();
    private final Map<String, Level> saved = new java.util.HashMap<>();

    @BeforeEach
    void captureEverything() {
        rootLevel = root.getLevel();
        root.setLevel(Level.TRACE);
        for (String name : List.of("dev.parallelrag", "io.github.resilience4j", "jdk.internal.httpclient")) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            saved.put(name, l.getLevel());
            l.setLevel(Level.TRACE);
        }
        root.iteratorForAppenders().forEachRemaining(others::add);
        others.forEach(root::detachAppender); // keep TRACE output off the console; the list gets everything
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void restore() {
        root.detachAppender(appender);
        others.forEach(root::addAppender);
        root.setLevel(rootLevel);
        saved.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void theKeyAppearsNowhere(String key) {
        List<String> outputs = new ArrayList<>();
        ResilienceConfig rc = ResilienceConfig.builder().initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5))
                .maxAttempts(2).attemptTimeout(Duration.ofMillis(200)).build();
        try (FakeProviderServer server = FakeProviderServer.builder().dimension(16).start()) {
            for (Wire wire : Wire.values()) {
                ProviderConfig config = wire.config(server, key);
                outputs.add(config.toString());
                String url = URLEncoder.encode(key, StandardCharsets.UTF_8);
                server.faults(FaultPlan.firstOf(FaultPlan.onMarker("AUTH", Fault.status(401).message("bad key " + key)),
                        FaultPlan.onMarker("BAD", Fault.status(400).message("echo " + key.replace("/", "\\/"))),
                        FaultPlan.onMarker("URL", Fault.status(400).message("GET /v1?key=" + url)),
                        FaultPlan.onMarker("LOWER", Fault.status(404).message("no model for key="
                                + Pattern.compile("%[0-9A-F]{2}").matcher(url).replaceAll(m -> m.group().toLowerCase(Locale.ROOT)))),
                        FaultPlan.onMarker("STALL", Fault.stall()),
                        FaultPlan.sequence(Fault.status(503), Fault.status(429).retryAfterSeconds(0),
                                Fault.connectionReset(), Fault.malformedJson())));
                try (LlmClient llm = Wire.llm(config, wire.chatModel, rc)) {
                    List<Outcome<dev.parallelrag.llm.Completion>> results = llm.completeBatch(
                            List.of("ok one", "AUTH please", "BAD please", "URL it", "LOWER it", "ok two", "", "STALL now", "ok three"),
                            CompletionOptions.builder().concurrency(2).build());
                    for (Outcome<?> o : results) {
                        outputs.add(o.toString());
                        if (o instanceof Outcome.Failure<?> f) {
                            outputs.add(describe(f.error()));
                        }
                    }
                    outputs.add(llm.toString());
                    outputs.add(llm.delegate().toString());
                    outputs.add(llm.stats().toString());
                    outputs.add(llm.stats().toJson());
                    outputs.add(llm.health().toString());
                    outputs.add(new HealthRegistry().register("llm", llm).health().toJson());
                    llm.meterRegistry().getMeters().forEach(m -> outputs.add(m.getId().toString()));
                }
                if (wire.embeds()) {
                    try (EmbeddingClient emb = Wire.embeddings(config, wire.embeddingModel, rc)) {
                        for (Outcome<float[]> o : emb.embedBatchParallel(List.of("fine", "AUTH text", "BAD text", "URL text", "LOWER text"))) {
                            if (o instanceof Outcome.Failure<float[]> f) {
                                outputs.add(describe(f.error()));
                            }
                        }
                        outputs.add(emb.toString());
                        outputs.add(emb.delegate().toString());
                        outputs.add(emb.stats().toJson());
                        outputs.add(emb.health().toString());
                        outputs.add(new HealthRegistry().register("embedder", emb).health().toJson());
                    }
                }
                server.reset();
            }
        }
        List<String> logLines = appender.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();

        assertThat(logLines).as("something was logged, including retries").isNotEmpty()
                .anySatisfy(l -> assertThat(l).startsWith("retrying"));
        assertThat(outputs).anySatisfy(o -> assertThat(o).contains("rejected the credentials"));
        assertThat(outputs).anySatisfy(o -> assertThat(o).contains("****"));
        assertThat(outputs).anySatisfy(o -> assertThat(o).contains("echo ****"));
        assertThat(outputs).anySatisfy(o -> assertThat(o).contains("key=****"));
        assertThat(logLines).noneSatisfy(l -> assertThat(l).containsIgnoringCase("CANARY"));
        assertThat(outputs).noneSatisfy(o -> assertThat(o).containsIgnoringCase("CANARY"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sk-LEAK\nCANARY", "sk-LEAK\rCANARY", "sk-LEAK\tCANARY", "sk-LEAK\u0000CANARY"})
    void aKeyWithAControlCharacterIsRefusedWithoutPrintingIt(String key) {
        assertThatThrownBy(() -> ProviderConfig.builder(ProviderKind.OPENAI).apiKey(key).build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("apiKey").hasMessageContaining("control character")
                .satisfies(e -> assertThat(describe(e)).doesNotContain("LEAK").doesNotContain("CANARY"));
        assertThatThrownBy(() -> ProviderConfig.builder(ProviderKind.OPENAI)
                .environment(Map.of("OPENAI_API_KEY", key)::get).build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("OPENAI_API_KEY").hasMessageContaining("control character")
                .satisfies(e -> assertThat(describe(e)).doesNotContain("LEAK").doesNotContain("CANARY"));
    }

    @Test
    void aKeyReadFromAFileLosesItsFinalLineBreak() {
        ProviderConfig config = ProviderConfig.builder(ProviderKind.OPENAI)
                .environment(Map.of("OPENAI_API_KEY", "sk-LEAKCANARY\n")::get).build();
        assertThat(config.apiKey()).hasValueSatisfying(k -> assertThat(k.value()).isEqualTo("sk-LEAKCANARY"));
    }

    /** Message, causes and stack trace, as a log line or a careless catch block would print them. */
    private static String describe(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return t + "\n" + sw;
    }
}
