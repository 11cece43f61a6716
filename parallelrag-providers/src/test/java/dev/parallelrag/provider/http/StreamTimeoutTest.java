package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ProviderTimeoutException;
import dev.parallelrag.llm.Completion;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A stream that stalls or drags on ends with a timeout, and gives its concurrency slot back. */
@Timeout(60)
class StreamTimeoutTest {

    private static final String PROMPT = "a prompt long enough that the answer streams in many small pieces";

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aStreamStalledMidwayFailsWithATimeoutAndReleasesItsSlot(Wire wire) {
        ResilienceConfig rc = Wire.FAST.toBuilder().maxConcurrency(1).streamIdleTimeout(Duration.ofMillis(500)).build();
        // the stall lasts 10 minutes: only the idle timeout can end this call
        try (FakeProviderServer server = FakeProviderServer.builder().faults(FaultPlan.sequence(Fault.stallMidStream()))
                .start();
             LlmClient llm = Wire.llm(wire.config(server), wire.chatModel, rc)) {
            List<String> pieces = new ArrayList<>();
            assertThatThrownBy(() -> llm.stream(PROMPT, CompletionOptions.defaults(), pieces::add))
                    .isInstanceOf(ProviderTimeoutException.class)
                    .hasMessageContaining("500 ms").hasMessageContaining("streamIdleTimeout");
            assertThat(pieces).as("events before the stall were delivered").isNotEmpty();
            assertThat(server.requestCount()).as("text was delivered, so not retried").isEqualTo(1);
            assertThat(llm.executor().concurrencyLimiter().inFlight()).isZero();
            assertThat(llm.stats().failuresByKind()).containsEntry("timeout", 1L);

            // maxConcurrency 1: this would wait for ever if the stalled stream had kept its slot
            List<String> next = new ArrayList<>();
            Completion c = llm.stream(PROMPT, CompletionOptions.defaults(), next::add);
            assertThat(String.join("", next)).isEqualTo(c.content()).isEqualTo(FakeContent.answer(PROMPT));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"OPENAI", "ANTHROPIC"})
    void aStreamThatTricklesPastItsDeadlineFailsWithATimeout(Wire wire) {
        // every event comes within the idle timeout, but all of them take longer than the deadline
        ResilienceConfig rc = Wire.FAST.toBuilder().maxAttempts(1).streamIdleTimeout(Duration.ofSeconds(5))
                .streamDeadline(Duration.ofMillis(1500)).build();
        try (FakeProviderServer server = FakeProviderServer.builder().streamChunkDelay(Duration.ofMillis(400)).start();
             LlmClient llm = Wire.llm(wire.config(server), wire.chatModel, rc)) {
            assertThatThrownBy(() -> llm.stream(PROMPT, CompletionOptions.defaults(), piece -> { }))
                    .isInstanceOf(ProviderTimeoutException.class)
                    .hasMessageContaining("deadline of 1500 ms").hasMessageContaining("streamDeadline");
            assertThat(llm.executor().concurrencyLimiter().inFlight()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"OPENAI", "GEMINI"})
    void timeSpentInTheCallersHandlerIsNotProviderSilence(Wire wire) {
        ResilienceConfig rc = Wire.FAST.toBuilder().maxAttempts(1).streamIdleTimeout(Duration.ofMillis(300)).build();
        try (FakeProviderServer server = FakeProviderServer.builder().start();
             LlmClient llm = Wire.llm(wire.config(server), wire.chatModel, rc)) {
            List<String> pieces = new ArrayList<>();
            Completion c = llm.stream(PROMPT, CompletionOptions.defaults(), piece -> {
                pieces.add(piece);
                sleep(Duration.ofMillis(150)); // a slow consumer: two pieces take longer than the idle timeout
            });
            assertThat(String.join("", pieces)).isEqualTo(c.content());
            assertThat(pieces).hasSizeGreaterThan(2);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
