package dev.parallelrag.engine;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthCheck;
import dev.parallelrag.health.HealthRegistry;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.llm.ChatMessage;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.llm.ChatRequest;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.Sizing;
import dev.parallelrag.store.StoreLocation;
import dev.parallelrag.store.VectorStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The health of one engine: its own {@link HealthRegistry} with a component per part ({@value #STORE},
 * {@value #RUNTIME}, {@value #EMBEDDER}, and {@value #LLM} when a chat model is set), and one entry in
 * {@link HealthRegistry#process()} that sums them up, removed on close. {@link #report()} only looks;
 * {@link #check()} first sends each model one real, small request.
 */
final class EngineHealth {

    static final String STORE = "store";
    static final String RUNTIME = "runtime";
    static final String EMBEDDER = "embedder";
    static final String LLM = "llm";
    /** What the embedder probe embeds: short, so a remote probe costs a token or two. */
    static final String PROBE_TEXT = "health check";
    /** What the LLM probe asks, answered in at most {@link #PROBE_MAX_TOKENS} token. */
    static final String PROBE_PROMPT = "Reply with the word OK.";
    static final int PROBE_MAX_TOKENS = 1;

    private static final AtomicLong ENGINES = new AtomicLong();

    private final HealthRegistry registry = new HealthRegistry();
    private final LazyEmbeddingModel embedder;
    private final ChatModel chatModel;
    private final String processName;
    private final HealthCheck summary = this::summary;

    /**
     * @param store   the store open now, or null when there is no index (yet)
     * @param runtime the CPU pool, or null before the first ingest starts it
     * @param missing why there is no store, when {@code store} gives null
     */
    EngineHealth(StoreLocation location, Supplier<VectorStore> store, Supplier<ParallelRuntime> runtime, Sizing sizing, String missing,
                 LazyEmbeddingModel embedder, ChatModel chatModel) {
        this.embedder = embedder;
        this.chatModel = chatModel;
        registry.register(STORE, () -> storeHealth(store.get(), missing));
        registry.register(RUNTIME, () -> runtimeHealth(runtime.get(), sizing));
        registry.register(EMBEDDER, this::embedderHealth);
        if (chatModel != null) {
            registry.register(LLM, () -> chatModel instanceof HealthCheck h ? h.health()
                    : Health.up(LLM, chatModel.provider() + "/" + chatModel.model() + " reports no health of its own"));
        }
        this.processName = "parallelrag " + location + " #" + ENGINES.incrementAndGet();
        HealthRegistry.process().register(processName, summary);
    }

    private static Health storeHealth(VectorStore store, String missing) {
        if (store == null) {
            return Health.down(STORE, missing);
        }
        if (store instanceof HealthCheck h) {
            return h.health();
        }
        long chunks = store.count(); // a real read: a store that cannot answer it fails the check
        return new Health(STORE, HealthStatus.UP, "open, " + chunks + " chunks", Map.of("chunks", chunks));
    }

    /** The pool's own health once started; before, what it will be, so an operator sees the engine's sizing. */
    private static Health runtimeHealth(ParallelRuntime runtime, Sizing sizing) {
        if (runtime != null) {
            return runtime.health();
        }
        return new Health(RUNTIME, HealthStatus.UP, "not started: the CPU pool of " + sizing.cpuPoolSize()
                + " threads starts with the first ingest", sizing.details());
    }

    private Health embedderHealth() {
        EmbeddingModel model = embedder.loadedModel();
        if (model == null) {
            return new Health(EMBEDDER, HealthStatus.UP, embedder.modelId() + " not loaded yet: it loads on the first call"
                    + " that needs a vector", Map.of("model", embedder.modelId()));
        }
        return model instanceof HealthCheck h ? h.health()
                : new Health(EMBEDDER, HealthStatus.UP, model.modelId() + " loaded; it reports no health of its own",
                Map.of("model", model.modelId()));
    }

    /** Every component as it is now; no request is made. */
    HealthRegistry.Report report() {
        return registry.health();
    }

    /**
     * Sends the embedder one short text and the chat model (if any) one prompt answered in one token, then
     * reports: a failed probe makes its component DOWN with the error as the reason. A component already DOWN is
     * not probed (its breaker may be open, and waiting for it would only delay the same verdict). The store's and
     * the runtime's checks are real reads already.
     */
    HealthRegistry.Report check() {
        HealthRegistry.Report before = registry.health();
        Map<String, Health> failed = new LinkedHashMap<>();
        probe(before, EMBEDDER, failed, () -> embedder.embedBatch(List.of(PROBE_TEXT)));
        if (chatModel != null) {
            probe(before, LLM, failed, () -> chatModel.chat(new ChatRequest(List.of(ChatMessage.user(PROBE_PROMPT)),
                    CompletionOptions.builder().maxTokens(PROBE_MAX_TOKENS).build())));
        }
        List<Health> parts = new ArrayList<>();
        for (Health h : registry.health().components()) {
            Health probeFailure = failed.get(h.component());
            parts.add(probeFailure != null && probeFailure.status().compareTo(h.status()) > 0
                    ? new Health(h.component(), probeFailure.status(), probeFailure.reason(), h.details()) : h);
        }
        return HealthRegistry.Report.of(parts);
    }

    private static void probe(HealthRegistry.Report before, String name, Map<String, Health> failed, Runnable request) {
        if (before.component(name).map(h -> h.status() == HealthStatus.DOWN).orElse(true)) {
            return;
        }
        try {
            request.run();
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            failed.put(name, Health.down(name, "probe failed: " + message.strip().replaceAll("\\s*\\R\\s*", " ")));
        }
    }

    /** The engine as one component of the process: the worst part, and the reasons of the parts that are not UP. */
    private Health summary() {
        HealthRegistry.Report r = registry.health();
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Health h : r.components()) {
            details.put(h.component(), h.status().name());
            if (h.status() != HealthStatus.UP) {
                problems.add(h.component() + " " + h.status() + ": " + h.reason());
            }
        }
        return new Health(processName, r.status(), problems.isEmpty() ? "every component is up" : String.join("; ", problems),
                details);
    }

    /** Removes the engine from the process registry and its components from its own. */
    void close() {
        HealthRegistry.process().unregister(processName, summary);
        registry.names().forEach(registry::unregister);
    }
}
