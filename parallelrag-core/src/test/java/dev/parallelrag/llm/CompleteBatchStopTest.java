package dev.parallelrag.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.error.StoppedException;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.stats.TokenUsage;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link LlmClient#completeBatch(List, CompletionOptions, StopSignal)}: a Java caller stops a batch as SIGTERM does. */
@Timeout(60)
class CompleteBatchStopTest {

    /** Answers each prompt with itself once released; counts the requests it received. */
    private static final class GateChatModel implements ChatModel {
        final CountDownLatch started;
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger requests = new AtomicInteger();

        GateChatModel(int expected) {
            started = new CountDownLatch(expected);
        }

        @Override
        public String provider() {
            return "test";
        }

        @Override
        public String model() {
            return "gate";
        }

        @Override
        public ChatResult chat(ChatRequest request) {
            requests.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            String prompt = request.conversation().getLast().content();
            return new ChatResult(prompt, "gate", "id", "stop", TokenUsage.of(1, 1));
        }

        @Override
        public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
            return chat(request);
        }
    }

    @Test
    void theAnswersInFlightAtTheStopAreKeptAndNoFurtherRequestIsSent() throws Exception {
        GateChatModel model = new GateChatModel(3);
        List<String> prompts = IntStream.range(0, 30).mapToObj(i -> "prompt " + i).toList();
        StopSignal stop = StopSignal.create();
        try (LlmClient client = LlmClient.builder(model).build()) {
            @SuppressWarnings("unchecked")
            List<Outcome<Completion>>[] result = new List[1];
            Thread batch = Thread.ofVirtual().start(() -> result[0] = client.completeBatch(prompts,
                    CompletionOptions.builder().concurrency(3).build(), stop));
            assertThat(model.started.await(30, TimeUnit.SECONDS)).isTrue();
            stop.stop();
            model.release.countDown();
            batch.join();

            List<Outcome<Completion>> outcomes = result[0];
            assertThat(outcomes).hasSize(30);
            for (int i = 0; i < 3; i++) {
                assertThat(outcomes.get(i).orElseThrow().content()).isEqualTo("prompt " + i);
            }
            assertThat(outcomes.subList(3, 30)).allSatisfy(o ->
                    assertThat(((Outcome.Failure<Completion>) o).error()).isInstanceOf(StoppedException.class));
            assertThat(model.requests).hasValue(3);
            assertThat(client.stats().totalRequests()).isEqualTo(3); // what was not run is not a failed request
        }
    }
}
