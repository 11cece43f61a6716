package dev.parallelrag.pipeline;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.StoppedException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.ChatMessage;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.llm.ChatRequest;
import dev.parallelrag.llm.ChatResult;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.split.LengthFunction;
import dev.parallelrag.stats.TokenUsage;
import dev.parallelrag.store.HybridSearchable;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import dev.parallelrag.store.SearchRequest;
import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.Vectors;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Question answering over an index: embed the question, retrieve the top {@code k} chunks (hybrid
 * search by default), then either ask a chat model with the chunks as numbered sources (a system message
 * with the citing rules, a user message with the sources and the question), or, with no chat model
 * configured, answer extractively: the sentences of the retrieved chunks most similar to the question,
 * scored with the same embedding model, each with its citation. Sentences are cut as the sentence splitter cuts
 * them, and text that overlapping chunks repeat is quoted once: an extractive answer never holds a sentence and a
 * piece of it ({@link ExtractiveSentences}). A generated answer's citations are the sources its text cites by number;
 * a number that is not one of its sources is dropped and counted ({@link Answer#droppedCitations()}, and
 * {@link AnswerMeters} on the builder's meter registry). With {@code fallbackToExtractive}, a
 * failed LLM call (after its client's retries) gives an extractive answer that says why. Each {@link Query} can
 * set its own k, mode and metadata filter; {@link #askStreaming} delivers the text as it is written and can be
 * cancelled. Every answer reports its token usage ({@link Answer#usage()}).
 *
 * <pre>{@code
 * Rag rag = Rag.builder(embeddingClient, store).chatModel(llmClient).build();
 * }</pre>
 * Pass clients ({@code EmbeddingClient}, {@code LlmClient}) for retries, limits and stats, or any plain
 * model. Thread-safe when the models and store are.
 */
public final class Rag {

    /** Default number of chunks retrieved. */
    public static final int DEFAULT_K = 5;
    /** Default number of sentences in an extractive answer. */
    public static final int DEFAULT_SENTENCES = 3;

    static final String SYSTEM_PROMPT = """
            You answer questions using only the numbered sources you are given. \
            Cite every statement with the number of its source in square brackets, e.g. [1] or [2][3]; \
            cite only the numbers of the sources given. \
            If the sources do not contain the answer, say that you cannot answer from the indexed documents.""";

    /**
     * How an answer's usage is counted when no provider counted it (extractive answers, and chat models that report
     * none): cl100k_base, the encoding {@code LlmClient} estimates its token limits with.
     */
    public static final LengthFunction TOKENIZER = LengthFunction.tokens("cl100k_base");

    private static final int MAX_CANDIDATE_SENTENCES = 200;

    private final EmbeddingModel embedder;
    private final VectorStore store;
    private final int k;
    private final SearchMode mode;
    private final ChatModel chatModel;
    private final boolean fallbackToExtractive;
    private final int sentences;
    private final String queryPrefix;
    private final AnswerMeters meters; // null without a meter registry

    private Rag(Builder b) {
        this.embedder = b.embedder;
        this.queryPrefix = b.embedder.spec().queryPrefix(); // e.g. "query: " for models trained with one
        this.store = b.store;
        this.k = b.k;
        this.mode = b.mode;
        this.chatModel = b.chatModel;
        this.fallbackToExtractive = b.fallbackToExtractive;
        this.sentences = b.sentences;
        this.meters = b.meterRegistry == null ? null : new AnswerMeters(b.meterRegistry);
    }

    public static Builder builder(EmbeddingModel embedder, VectorStore store) {
        return new Builder(embedder, store);
    }

    /** Answers the question from the index with this pipeline's k and mode, from every chunk. */
    public Answer ask(String question) {
        return ask(query(question).build());
    }

    /** Answers the question from the chunks the query's filter allows, retrieving its k chunks in its mode. */
    public Answer ask(Query question) {
        return answer(question, null, StopSignal.never());
    }

    /**
     * As {@link #ask(Query)}, handing {@code onDelta} the answer's text as it is written: a chat model's stream
     * ({@link ChatModel#stream}) piece by piece, or an extractive answer one sentence at a time (the first bare, each
     * next one after its line break). The pieces joined are the returned answer's text; the answer itself (citations,
     * usage, timings) comes when the text is complete. {@code onDelta} runs on the calling thread.
     *
     * <p><b>Cancelling.</b> {@link StopSignal#stop()} from another thread stops the answer once the signal's grace is
     * over ({@link StopSignal#withGrace withGrace(Duration.ZERO)}: at once, what a server wants when its client went
     * away): no more text is delivered, a chat model's call is cut off (its HTTP stream closed, or its wait for the
     * first piece interrupted), and the call ends with a {@link StoppedException}. An exception from {@code onDelta}
     * also ends the call; after a stop it, too, becomes a {@link StoppedException}. With {@code fallbackToExtractive},
     * a chat model that fails before its first piece of text gives an extractive answer; one that fails later is an
     * error, since text has been delivered already.
     */
    public Answer askStreaming(Query question, Consumer<String> onDelta, StopSignal stop) {
        Objects.requireNonNull(onDelta, "onDelta");
        Objects.requireNonNull(stop, "stop");
        return answer(question, new Delivery(onDelta, stop), stop);
    }

    /** A query of {@code text} with this pipeline's k and mode, to change before {@link Query.Builder#build()}. */
    public Query.Builder query(String text) {
        return Query.builder(text).k(k).mode(mode);
    }

    /** {@code delivery} is null for an answer returned whole. */
    private Answer answer(Query question, Delivery delivery, StopSignal stop) {
        Objects.requireNonNull(question, "question");
        requireText("question", question.text());
        long t0 = System.nanoTime();
        float[] vector = embedQuestion(question.text());
        long t1 = System.nanoTime();
        List<SearchHit> hits = retrieve(question, vector);
        long t2 = System.nanoTime();
        if (hits.isEmpty()) {
            String text = "No indexed text matches the question.";
            deliver(delivery, List.of(text));
            return new Answer(text, chatModel == null ? Answer.Mode.EXTRACTIVE : Answer.Mode.GENERATED, List.of(),
                    counted(TOKENIZER.length(question.text()), text), timings(t0, t1, t2, System.nanoTime()), null, "", 0, false);
        }
        if (chatModel == null) {
            return extractive(question.text(), vector, hits, t0, t1, t2, null, delivery);
        }
        ChatRequest request = new ChatRequest(List.of(ChatMessage.system(SYSTEM_PROMPT),
                ChatMessage.user(prompt(question.text(), hits))), question.completionOptions());
        ChatResult generation;
        try {
            generation = delivery == null ? chatModel.chat(request)
                    : stop.runItem(() -> chatModel.stream(request, delivery));
        } catch (StoppedException e) {
            throw e;
        } catch (ParallelRagException e) {
            if (!fallbackToExtractive || (delivery != null && delivery.delivered())) {
                throw e;
            }
            return extractive(question.text(), vector, hits, t0, t1, t2, e.getMessage(), delivery);
        }
        long t3 = System.nanoTime();
        List<Citation> citations = new ArrayList<>();
        int dropped = 0;
        for (int number : CitationMarks.numbers(generation.content())) {
            if (number >= 1 && number <= hits.size()) {
                citations.add(chunkCitation(number, hits.get(number - 1)));
            } else {
                dropped++; // the model was not given a source by that number
            }
        }
        citations.sort(Comparator.comparingInt(Citation::number));
        if (meters != null) {
            meters.citations(chatModel.provider(), chatModel.model(), citations.size(), dropped);
        }
        String servedBy = generation.servedBy().isEmpty() ? chatModel.provider() + ":" + chatModel.model()
                : generation.servedBy();
        TokenUsage usage = generation.usage().totalTokens() > 0 ? generation.usage()
                : counted(TOKENIZER.length(request.systemPrompt()) + TOKENIZER.length(request.conversation().getFirst()
                        .content()), generation.content()); // a provider that reports none, as some compatible servers
        return new Answer(generation.content(), Answer.Mode.GENERATED, citations, usage, timings(t0, t1, t2, t3), null,
                servedBy, dropped, generation.truncated());
    }

    /** Search only: the top {@code k} chunks for the query in the given mode, best first. */
    public List<SearchHit> search(String query, int k, SearchMode mode) {
        return search(Query.builder(query).k(k).mode(mode).build());
    }

    /** Search only: the query's top k chunks among those its filter allows, in its mode, best first. */
    public List<SearchHit> search(Query query) {
        Objects.requireNonNull(query, "query");
        requireText("query", query.text());
        float[] vector = query.mode() == SearchMode.KEYWORD ? null : embedQuestion(query.text());
        return retrieve(query, vector);
    }

    /** The user prompt sent to the LLM: numbered sources, then the question. */
    static String prompt(String question, List<SearchHit> hits) {
        StringBuilder sb = new StringBuilder("Sources:\n\n");
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            sb.append('[').append(i + 1).append("] ").append(h.source());
            String ls = h.metadata().get("line_start");
            if (ls != null) {
                sb.append(" (lines ").append(ls).append('-').append(h.metadata().get("line_end")).append(')');
            }
            sb.append('\n').append(h.text().strip()).append("\n\n");
        }
        sb.append("Question: ").append(question.strip()).append('\n');
        sb.append("Answer from the sources above, citing them by number.");
        return sb.toString();
    }

    private float[] embedQuestion(String question) {
        List<float[]> vectors = embedder.embedBatch(List.of(queryPrefix + question));
        if (vectors.size() != 1) {
            throw new IllegalStateException("embedder " + embedder.modelId() + " returned " + vectors.size() + " vectors for 1 text");
        }
        return vectors.get(0);
    }

    private List<SearchHit> retrieve(Query query, float[] vector) {
        if (store instanceof HybridSearchable hybrid) {
            return hybrid.search(new SearchRequest(query.mode(), query.text(), vector, query.k(), query.filter()));
        }
        if (query.mode() == SearchMode.KEYWORD) {
            throw new ValidationException("mode", "keyword", "needs a store with keyword search (the Lucene store); "
                    + store.getClass().getSimpleName() + " has vector search only");
        }
        return store.search(vector, query.k(), query.filter());
    }

    private Answer extractive(String question, float[] query, List<SearchHit> hits, long t0, long t1, long t2, String reason,
                              Delivery delivery) {
        List<SourceSentence> candidates = ExtractiveSentences.of(hits, MAX_CANDIDATE_SENTENCES);
        long promptTokens = TOKENIZER.length(question);
        for (SearchHit hit : candidates.stream().map(SourceSentence::hit).distinct().toList()) {
            promptTokens += TOKENIZER.length(hit.text()); // a passage the answer was chosen from
        }
        List<float[]> vectors = new ArrayList<>(candidates.size());
        int batch = Math.max(1, embedder.maxBatchSize());
        for (int i = 0; i < candidates.size(); i += batch) {
            List<String> texts = candidates.subList(i, Math.min(candidates.size(), i + batch)).stream().map(SourceSentence::text).toList();
            vectors.addAll(embedder.embedBatch(texts));
        }
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            scored.add(new Scored(candidates.get(i), Vectors.cosine(query, vectors.get(i))));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed());
        Set<String> seen = new HashSet<>();
        List<Citation> citations = new ArrayList<>();
        List<String> pieces = new ArrayList<>();
        for (Scored s : scored) {
            if (citations.size() == sentences) {
                break;
            }
            String normalized = s.sentence().text().strip().toLowerCase(Locale.ROOT);
            if (!seen.add(normalized)) {
                continue; // the same sentence in another document, or in a hit without document offsets
            }
            int n = citations.size() + 1;
            citations.add(s.sentence().citation(n, s.score()));
            pieces.add((pieces.isEmpty() ? "" : "\n") + s.sentence().text().strip().replaceAll("\\s+", " ") + " [" + n + "]");
        }
        deliver(delivery, pieces);
        String text = String.join("", pieces);
        long t3 = System.nanoTime();
        return new Answer(text, Answer.Mode.EXTRACTIVE, citations, counted(promptTokens, text), timings(t0, t1, t2, t3),
                reason, "", 0, false);
    }

    private static void deliver(Delivery delivery, List<String> pieces) {
        if (delivery != null) {
            pieces.forEach(delivery);
        }
    }

    /**
     * The usage of an answer no provider counted: {@code prompt} tokens read, and the answer's text as the completion,
     * both in {@link #TOKENIZER}'s tokens.
     */
    private static TokenUsage counted(long prompt, String answer) {
        return TokenUsage.of(prompt, TOKENIZER.length(answer));
    }

    private static Citation chunkCitation(int number, SearchHit h) {
        int cpStart = intMeta(h, "cp_start", h.start());
        int cpEnd = intMeta(h, "cp_end", cpStart + h.text().codePointCount(0, h.text().length()));
        return new Citation(number, h.source(), h.chunkId(), h.start(), h.end(), cpStart, cpEnd,
                intMeta(h, "line_start", 0), intMeta(h, "line_end", 0), h.score(), h.text());
    }

    static int intMeta(SearchHit h, String key, int fallback) {
        String v = h.metadata().get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void requireText(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new ValidationException(field, text, "must not be empty or blank");
        }
    }

    private static Answer.Timings timings(long t0, long t1, long t2, long t3) {
        return new Answer.Timings(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Duration.ofNanos(t3 - t2),
                Duration.ofNanos(t3 - t0));
    }

    private record Scored(SourceSentence sentence, double score) {
    }

    /**
     * Hands a streamed answer's pieces to the caller until its stop cuts it off, and counts them: a chat model that
     * fails after the first one cannot be replaced by an extractive answer.
     */
    private static final class Delivery implements Consumer<String> {
        private final Consumer<String> onDelta;
        private final StopSignal stop;
        private int delivered;

        Delivery(Consumer<String> onDelta, StopSignal stop) {
            this.onDelta = onDelta;
            this.stop = stop;
        }

        @Override
        public void accept(String piece) {
            if (stop.graceOver()) {
                throw stopped(null);
            }
            try {
                onDelta.accept(piece);
            } catch (RuntimeException e) {
                throw stop.graceOver() ? stopped(e) : e; // the caller stopped the answer, e.g. as its client went away
            }
            delivered++;
        }

        boolean delivered() {
            return delivered > 0;
        }

        private static StoppedException stopped(Throwable cause) {
            return new StoppedException("the answer was stopped by its caller before it was complete", cause);
        }
    }

    /**
     * Validating builder. Defaults: k = 5, hybrid search, no chat model (extractive answers), 3 sentences;
     * the LLM call uses {@link CompletionOptions#defaults()}, with the query's {@link Query#maxAnswerTokens()}.
     */
    public static final class Builder {
        private final EmbeddingModel embedder;
        private final VectorStore store;
        private int k = DEFAULT_K;
        private SearchMode mode = SearchMode.HYBRID;
        private ChatModel chatModel;
        private boolean fallbackToExtractive;
        private int sentences = DEFAULT_SENTENCES;
        private MeterRegistry meterRegistry;

        private Builder(EmbeddingModel embedder, VectorStore store) {
            this.embedder = Objects.requireNonNull(embedder, "embedder");
            this.store = Objects.requireNonNull(store, "store");
        }

        public Builder k(int k) {
            this.k = k;
            return this;
        }

        public Builder mode(SearchMode mode) {
            this.mode = mode;
            return this;
        }

        /** The LLM that writes answers (an {@code LlmClient}, or any chat model); null (the default) for extractive answers. */
        public Builder chatModel(ChatModel chatModel) {
            this.chatModel = chatModel;
            return this;
        }

        /** Answer extractively, and say why, when the chat model fails. */
        public Builder fallbackToExtractive(boolean fallback) {
            this.fallbackToExtractive = fallback;
            return this;
        }

        public Builder sentences(int sentences) {
            this.sentences = sentences;
            return this;
        }

        /** Where {@link AnswerMeters} go; default none (nothing is measured). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        public Rag build() {
            if (k < 1 || k > Query.MAX_K) {
                throw new ValidationException("k", k, "must be between 1 and " + Query.MAX_K);
            }
            if (sentences < 1 || sentences > 50) {
                throw new ValidationException("sentences", sentences, "must be between 1 and 50");
            }
            if (mode == null) {
                throw new ValidationException("mode", null, "must be one of hybrid, vector, keyword");
            }
            return new Rag(this);
        }
    }
}
