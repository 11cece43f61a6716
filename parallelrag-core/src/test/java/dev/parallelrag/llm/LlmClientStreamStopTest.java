package dev.parallelrag.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.StoppedException;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.health.RequestWindow;
import dev.parallelrag.stats.TokenUsage;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A stream its caller stops (a server whose client went away) is not the provider's failure: it leaves the client's
 * health window, its breaker and its retries alone.
 */
class LlmClientStreamStopTest {

    /** Streams three pieces, or fails as an interrupted read does. */
    private record ThreePieces(boolean interrupted) implements ChatModel {
        @Override
        public String provider() {
            return "test";
        }

        @Override
        public String model() {
            return "three";
        }

        @Override
        public ChatResult chat(ChatRequest request) {
            return new ChatResult("a b c", "three", "", "stop", TokenUsage.of(3, 3));
        }

        @Override
        public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
            if (interrupted) {
                throw new CancellationException("interrupted while reading the stream of test");
            }
            for (String p : List.of("a ", "b ", "c")) {
                onDelta.accept(p);
            }
            return chat(request);
        }
    }

    @Test
    void aStreamStoppedByItsReaderIsNeitherRetriedNorAFailureOfTheProvider() {
        try (LlmClient client = LlmClient.create(new ThreePieces(false))) {
            for (int i = 0; i < 8; i++) { // more than the breaker's 5 consecutive failures
                assertThatThrownBy(() -> client.stream("hi", CompletionOptions.defaults(), piece -> {
                    throw new StoppedException("client went away");
                })).isInstanceOf(StoppedException.class);
            }
            RequestWindow.Counts counts = client.executor().window().counts();
            assertThat(counts.failures()).isZero();
            assertThat(client.stats().retries()).isZero();
            assertThat(client.health().status()).isEqualTo(HealthStatus.UP);
            assertThat(client.stream("hi", CompletionOptions.defaults(), piece -> { }).content()).isEqualTo("a b c");
        }
    }

    @Test
    void anInterruptedStreamIsNotAFailureOfTheProvider() {
        try (LlmClient client = LlmClient.create(new ThreePieces(true))) {
            for (int i = 0; i < 8; i++) {
                assertThatThrownBy(() -> client.stream("hi", CompletionOptions.defaults(), piece -> { }))
                        .isInstanceOf(CancellationException.class);
            }
            assertThat(client.executor().window().counts().failures()).isZero();
            assertThat(client.health().status()).isEqualTo(HealthStatus.UP);
        }
    }
}
