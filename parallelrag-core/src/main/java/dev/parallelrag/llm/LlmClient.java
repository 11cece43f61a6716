package dev.parallelrag.llm;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.health.ClientHealthPolicy;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthCheck;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.resilience.ResilienceDefaults;
import dev.parallelrag.resilience.ResilientExecutor;
import dev.parallelrag.resilience.RetryPolicy;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.split.LengthFunction;
import dev.parallelrag.stats.ClientStats;
import dev.parallelrag.stats.StatsRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Completions from any {@link ChatModel}, with retries, a circuit breaker, rate limits, adaptive
 * concurrency, stats and health.
 *
 * <pre>{@code
 * try (LlmClient llm = Providers.llmClient(ProviderKind.OPENAI, "gpt-4o-mini")) {
 *     String text = llm.complete("Say hi");
 *     List<Outcome<Completion>> all = llm.completeBatch(prompts, CompletionOptions.builder().concurrency(32).build());
 * }
 * }</pre>
 *
 * {@link #completeBatch} returns one outcome per prompt in input order; an empty prompt is a
 * {@link ValidationException} for that item only; at most {@value #MAX_BATCH} prompts per call.
 * Thread-safe.
 */
public final class LlmClient implements HealthCheck, AutoCloseable {

    /** Most prompts per {@link #completeBatch} call. */
    public static final int MAX_BATCH = 1000;

    private final ChatModel model;
    private final ResilientExecutor executor;
    private final ParallelRuntime runtime;
    private final boolean ownsRuntime;
    private final int defaultConcurrency;
    private final ClientHealthPolicy healthPolicy;
    private final LengthFunction tokens = LengthFunction.tokens("cl100k_base");

    private LlmClient(Builder b) {
        this.model = b.model;
        ResilienceConfig rc = b.resilience != null ? b.resilience
                : model instanceof ResilienceDefaults d ? d.resilienceConfig() : ResilienceConfig.defaults();
        this.executor = new ResilientExecutor(model.endpoint(), rc,
                new StatsRecorder(model.provider(), model.model(), "chat", b.meterRegistry));
        this.ownsRuntime = b.runtime == null;
        this.runtime = b.runtime != null ? b.runtime
                : ParallelRuntime.create(RuntimeConfig.builder().ioConcurrency(b.defaultConcurrency).build());
        this.defaultConcurrency = b.defaultConcurrency;
        this.healthPolicy = b.healthPolicy;
    }

    public static Builder builder(ChatModel model) {
        return new Builder(model);
    }

    public static LlmClient create(ChatModel model) {
        return builder(model).build();
    }

    /** The text of a completion of one user prompt with default options. */
    public String complete(String prompt) {
        return complete(prompt, CompletionOptions.defaults());
    }

    public String complete(String prompt, CompletionOptions options) {
        return completeFull(prompt, options).content();
    }

    public Completion completeFull(String prompt, CompletionOptions options) {
        return completeFull(List.of(ChatMessage.user(checkPrompt("prompt", prompt))), options);
    }

    /** A completion of a conversation (system, user and assistant messages). */
    public Completion completeFull(List<ChatMessage> messages, CompletionOptions options) {
        ChatRequest request = request(messages, options);
        return run(request, attempt -> model.chat(request));
    }

    /** Streams the answer to one prompt; {@code onToken} gets each piece of text as it arrives. */
    public Completion stream(String prompt, CompletionOptions options, Consumer<String> onToken) {
        return stream(List.of(ChatMessage.user(checkPrompt("prompt", prompt))), options, onToken);
    }

    /**
     * Streams the answer to a conversation. Failures before the first piece of text are retried like any
     * other call; once text has reached {@code onToken}, a failure is not retried (that would repeat text)
     * and ends the call with a non-retryable {@link ProviderException}.
     */
    public Completion stream(List<ChatMessage> messages, CompletionOptions options, Consumer<String> onToken) {
        Objects.requireNonNull(onToken, "onToken");
        ChatRequest request = request(messages, options);
        return run(request, attempt -> {
            AtomicInteger delivered = new AtomicInteger();
            try {
                return model.stream(request, piece -> {
                    delivered.incrementAndGet();
                    onToken.accept(piece);
                });
            } catch (ParallelRagException e) {
                if (delivered.get() > 0 && RetryPolicy.isRetryable(e)) {
                    throw new ProviderException("the " + model.provider() + " stream broke after " + delivered.get()
                            + " pieces of text were delivered; not retried, since that would repeat text: "
                            + e.getMessage(), 0, null, false, e);
                }
                throw e;
            }
        });
    }

    /**
     * Completes every prompt with up to {@code options.concurrency()} requests in flight (the client's
     * default when 0). One outcome per prompt, in input order.
     *
     * @throws ValidationException when there are more than {@value #MAX_BATCH} prompts
     */
    public List<Outcome<Completion>> completeBatch(List<String> prompts, CompletionOptions options) {
        Objects.requireNonNull(prompts, "prompts");
        Objects.requireNonNull(options, "options");
        if (prompts.size() > MAX_BATCH) {
            executor.recorder().failure(ErrorKind.VALIDATION, 0);
            throw new ValidationException("prompts", prompts.size() + " prompts",
                    "must be at most " + MAX_BATCH + " per completeBatch call; split the input into several calls");
        }
        int concurrency = options.concurrency() > 0 ? options.concurrency() : defaultConcurrency;
        List<Integer> indices = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            indices.add(i);
        }
        return runtime.mapIo(indices, concurrency,
                i -> completeFull(List.of(ChatMessage.user(checkPrompt("prompts[" + i + "]", prompts.get(i)))), options));
    }

    /** {@link #completeBatch(List, CompletionOptions)} with default options. */
    public List<Outcome<Completion>> completeBatch(List<String> prompts) {
        return completeBatch(prompts, CompletionOptions.defaults());
    }

    private Completion run(ChatRequest request, ResilientExecutor.Attempt<ChatResult> attempt) {
        long estimate = estimateTokens(request);
        try {
            ResilientExecutor.Attempted<ChatResult> done = executor.execute(estimate, attempt, ChatResult::usage);
            ChatResult r = done.value();
            return new Completion(r.content(), r.model(), r.id(), r.finishReason(), r.usage(), done.latency(),
                    done.attempts());
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + model.provider());
        } catch (Exception e) {
            throw new ProviderException(model.provider() + " call failed: " + e, 0, null, false, e);
        }
    }

    /** Prompt tokens plus the most the answer may use: what providers charge against a tokens-per-minute limit. */
    private long estimateTokens(ChatRequest request) {
        long n = tokens.length(request.systemPrompt());
        for (ChatMessage m : request.conversation()) {
            n += tokens.length(m.content()) + 4;
        }
        return n + request.options().maxTokens();
    }

    private ChatRequest request(List<ChatMessage> messages, CompletionOptions options) {
        Objects.requireNonNull(options, "options");
        if (messages == null || messages.stream().noneMatch(m -> m.role() == Role.USER)) {
            throw validation(new ValidationException("messages", messages == null ? null : messages.size() + " messages",
                    "must contain at least one user message"));
        }
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role() == Role.USER) {
                checkPrompt("messages[" + i + "].content", messages.get(i).content());
            }
        }
        return new ChatRequest(messages, options);
    }

    private String checkPrompt(String field, String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw validation(new ValidationException(field, prompt, "must not be empty or blank"));
        }
        return prompt;
    }

    private ValidationException validation(ValidationException e) {
        executor.recorder().failure(ErrorKind.VALIDATION, 0);
        return e;
    }

    public ChatModel model() {
        return model;
    }

    public ClientStats stats() {
        return executor.stats();
    }

    /** Clears the request counters; the breaker keeps its state. */
    public void resetStats() {
        executor.resetStats();
    }

    @Override
    public Health health() {
        return healthPolicy.evaluate("llm:" + model.provider() + "/" + model.model(), stats());
    }

    public MeterRegistry meterRegistry() {
        return executor.recorder().registry();
    }

    /** The protection stack (breaker, limiter) of this client, for inspection. */
    public ResilientExecutor executor() {
        return executor;
    }

    @Override
    public void close() {
        if (ownsRuntime) {
            runtime.close();
        }
    }

    @Override
    public String toString() {
        return "LlmClient[" + model.provider() + "/" + model.model() + "]";
    }

    /** Builder; every setting is optional. */
    public static final class Builder {
        private final ChatModel model;
        private ResilienceConfig resilience;
        private MeterRegistry meterRegistry = new SimpleMeterRegistry();
        private ParallelRuntime runtime;
        private int defaultConcurrency = RuntimeConfig.DEFAULT_IO_CONCURRENCY;
        private ClientHealthPolicy healthPolicy = ClientHealthPolicy.DEFAULT;

        private Builder(ChatModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Resilience settings; default the model's provider settings or {@link ResilienceConfig#defaults()}. */
        public Builder resilience(ResilienceConfig resilience) {
            this.resilience = resilience;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        public Builder runtime(ParallelRuntime runtime) {
            this.runtime = runtime;
            return this;
        }

        /** Requests in flight for {@code completeBatch} when the options do not say; default 16. */
        public Builder defaultConcurrency(int concurrency) {
            if (concurrency < 1) {
                throw new ValidationException("defaultConcurrency", concurrency, "must be at least 1");
            }
            this.defaultConcurrency = concurrency;
            return this;
        }

        public Builder healthPolicy(ClientHealthPolicy policy) {
            this.healthPolicy = Objects.requireNonNull(policy, "healthPolicy");
            return this;
        }

        public LlmClient build() {
            return new LlmClient(this);
        }
    }
}
