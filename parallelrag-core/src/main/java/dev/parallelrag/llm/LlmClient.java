package dev.parallelrag.llm;

import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ProviderTimeoutException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.metrics.GenAiMetrics;
import dev.parallelrag.resilience.ResilientClient;
import dev.parallelrag.resilience.RetryPolicy;
import dev.parallelrag.resilience.Served;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.split.LengthFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link ChatModel} that wraps another and adds retries, a circuit breaker, rate limits, adaptive
 * concurrency, timeouts (including a stream's idle timeout and deadline), stats and health. Being a chat
 * model itself, it goes wherever one goes ({@code Rag.builder(...).chatModel(llm)}); {@link #chat} and
 * {@link #stream(ChatRequest, Consumer)} are protected like every other call.
 *
 * <pre>{@code
 * try (LlmClient llm = Providers.llmClient(ProviderKind.OPENAI, "gpt-4o-mini")) {
 *     String text = llm.complete("Say hi");
 *     List<Outcome<Completion>> all = llm.completeBatch(prompts, CompletionOptions.builder().concurrency(32).build());
 * }
 * }</pre>
 *
 * <p>With fallbacks ({@code LlmClient.builder(primary).fallback(other).build()}), a request that the primary
 * cannot serve for a reason another endpoint can fix goes to the next candidate, and every answer says which
 * candidate served it ({@link Completion#servedBy()}); see {@link ResilientClient} for the rules. A stream fails
 * over only before its first piece of text: after that, an error reaches the caller.
 *
 * <p>{@link #completeBatch} returns one outcome per prompt in input order; an empty prompt is a
 * {@link ValidationException} for that item only; at most {@value #MAX_BATCH} prompts per call.
 * Thread-safe.
 */
public final class LlmClient extends ResilientClient<ChatModel> implements ChatModel {

    /** Most prompts per {@link #completeBatch} call. */
    public static final int MAX_BATCH = 1000;

    private final LengthFunction tokens = LengthFunction.tokens("cl100k_base");

    private LlmClient(Builder b) {
        super(b, m -> new Identity(m.provider(), m.model(), "chat", m.endpoint(), "llm:" + m.provider() + "/" + m.model()));
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
        return run(request, model -> model.chat(request));
    }

    /** The model interface: one protected completion (retries, breaker, limits, timeouts, stats). */
    @Override
    public ChatResult chat(ChatRequest request) {
        return result(completeFull(Objects.requireNonNull(request, "request").messages(), request.options()));
    }

    private static ChatResult result(Completion c) {
        return new ChatResult(c.content(), c.model(), c.id(), c.finishReason(), c.usage(), c.servedBy());
    }

    /** The model interface: a protected stream, as {@link #stream(List, CompletionOptions, Consumer)}. */
    @Override
    public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
        return result(stream(Objects.requireNonNull(request, "request").messages(), request.options(), onDelta));
    }

    /** Streams the answer to one prompt; {@code onToken} gets each piece of text as it arrives. */
    public Completion stream(String prompt, CompletionOptions options, Consumer<String> onToken) {
        return stream(List.of(ChatMessage.user(checkPrompt("prompt", prompt))), options, onToken);
    }

    /**
     * Streams the answer to a conversation. The first event must come within the attempt timeout, each
     * next one within {@code streamIdleTimeout}, the whole stream within {@code streamDeadline}; a stream
     * that breaks any of them fails with a {@link ProviderTimeoutException} and frees its slot. Failures
     * before the first piece of text are retried (or, with fallbacks, move to the next candidate) like any other
     * call; once text has reached {@code onToken}, a failure is neither retried nor failed over (that would repeat
     * text) and ends the call with a non-retryable error of the same kind. Like every call, a stream is recorded in
     * {@code gen_ai.client.operation.duration}; the time to its first piece of text goes to
     * {@code gen_ai.client.operation.time_to_first_chunk}.
     */
    public Completion stream(List<ChatMessage> messages, CompletionOptions options, Consumer<String> onToken) {
        Objects.requireNonNull(onToken, "onToken");
        ChatRequest request = request(messages, options);
        long start = System.nanoTime();
        return run(request, model -> {
            AtomicInteger delivered = new AtomicInteger();
            try {
                return model.stream(request, piece -> {
                    if (delivered.incrementAndGet() == 1) { // named by the candidate serving it, as a failover may pick another
                        GenAiMetrics.timeToFirstChunk(meterRegistry(), GenAiMetrics.CHAT,
                                GenAiMetrics.providerName(model.provider()), model.model())
                                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    }
                    onToken.accept(piece);
                });
            } catch (ParallelRagException e) {
                if (delivered.get() > 0 && RetryPolicy.isRetryable(e)) {
                    String message = "the " + model.provider() + " stream broke after " + delivered.get()
                            + " pieces of text were delivered; not retried, since that would repeat text: "
                            + e.getMessage();
                    throw e instanceof ProviderTimeoutException t
                            ? new ProviderTimeoutException(message, t.timeout(), false, e)
                            : new ProviderException(message, 0, null, false, e);
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
        return completeBatch(prompts, options, StopSignal.never());
    }

    /**
     * As {@link #completeBatch(List, CompletionOptions)}, stoppable from another thread: after
     * {@link StopSignal#stop()} no new request starts, the requests in flight have the stop's grace to finish,
     * and every prompt still gets its outcome in input order (a {@code StoppedException} for those not run).
     */
    public List<Outcome<Completion>> completeBatch(List<String> prompts, CompletionOptions options, StopSignal stop) {
        Objects.requireNonNull(prompts, "prompts");
        Objects.requireNonNull(options, "options");
        if (prompts.size() > MAX_BATCH) {
            throw rejected(new ValidationException("prompts", prompts.size() + " prompts",
                    "must be at most " + MAX_BATCH + " per completeBatch call; split the input into several calls"));
        }
        int concurrency = options.concurrency() > 0 ? options.concurrency() : defaultConcurrency();
        List<Integer> indices = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            indices.add(i);
        }
        return runtime().mapIo(indices, concurrency, stop,
                i -> completeFull(List.of(ChatMessage.user(checkPrompt("prompts[" + i + "]", prompts.get(i)))), options));
    }

    /** {@link #completeBatch(List, CompletionOptions)} with default options. */
    public List<Outcome<Completion>> completeBatch(List<String> prompts) {
        return completeBatch(prompts, CompletionOptions.defaults());
    }

    private Completion run(ChatRequest request, ModelCall<ChatModel, ChatResult> attempt) {
        Served<ChatResult> done = call(delegate().provider(), estimateTokens(request), attempt, ChatResult::usage);
        ChatResult r = done.value();
        return new Completion(r.content(), r.model(), r.id(), r.finishReason(), r.usage(), done.latency(),
                done.attempts(), done.servedBy());
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
            throw rejected(new ValidationException("messages", messages == null ? null : messages.size() + " messages",
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
            throw rejected(new ValidationException(field, prompt, "must not be empty or blank"));
        }
        return prompt;
    }

    /** Provider, model and endpoint are the wrapped model's: stats, meters and logs name the real endpoint. */
    @Override
    public String provider() {
        return delegate().provider();
    }

    @Override
    public String model() {
        return delegate().model();
    }

    @Override
    public String endpoint() {
        return delegate().endpoint();
    }

    @Override
    public String toString() {
        return "LlmClient[" + delegate().provider() + "/" + delegate().model() + "]";
    }

    /** Builder; every setting is optional (see {@link ResilientClient.Builder}). */
    public static final class Builder extends ResilientClient.Builder<ChatModel, Builder> {
        private Builder(ChatModel model) {
            super(model);
        }

        public LlmClient build() {
            return new LlmClient(this);
        }
    }
}
