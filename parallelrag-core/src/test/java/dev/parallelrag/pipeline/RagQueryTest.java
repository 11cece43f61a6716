package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.StoppedException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.llm.ChatRequest;
import dev.parallelrag.llm.ChatResult;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.stats.TokenUsage;
import dev.parallelrag.store.InMemoryVectorStore;
import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.SearchHit;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Query}: its filter reaches search and ask; {@link Rag#askStreaming}: deltas, usage and cancelling. */
class RagQueryTest {

    private static final HashingEmbeddingModel EMBEDDER = new HashingEmbeddingModel(256);
    private static final InMemoryVectorStore STORE = new InMemoryVectorStore();
    private static final String LINCOLN = Path.of("../examples/sample/1861_abraham_lincoln_r.txt").toString();
    private static final String QUESTION = "the union and slavery";

    @BeforeAll
    static void ingestSample() {
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            IngestSummary s = new IngestPipeline(IngestConfig.builder(Splitters.recursive(800, 100)).build(), EMBEDDER,
                    STORE, runtime).run(List.of(Path.of("../examples/sample")), e -> { });
            assertThat(s.allSucceeded()).isTrue();
        }
    }

    @AfterAll
    static void close() {
        STORE.close();
    }

    private static Rag extractive() {
        return Rag.builder(EMBEDDER, STORE).build();
    }

    @Test
    void theFilterRestrictsSearchAndAskToTheChunksItAllows() {
        Rag rag = extractive();
        List<SearchHit> everywhere = rag.search(rag.query(QUESTION).k(10).build());
        assertThat(everywhere).extracting(SearchHit::source).anyMatch(s -> !s.equals(LINCOLN)); // else the test proves nothing

        MetadataFilter lincoln = MetadataFilter.eq(MetadataFilter.SOURCE, LINCOLN);
        List<SearchHit> filtered = rag.search(rag.query(QUESTION).k(10).filter(lincoln).build());
        assertThat(filtered).isNotEmpty().extracting(SearchHit::source).containsOnly(LINCOLN);

        Answer answer = rag.ask(rag.query(QUESTION).filter(lincoln).build());
        assertThat(answer.citations()).isNotEmpty().extracting(Citation::source).containsOnly(LINCOLN);
        Answer unfiltered = rag.ask(rag.query(QUESTION).k(10).build());
        assertThat(unfiltered.citations()).extracting(Citation::source).anyMatch(s -> !s.equals(LINCOLN));
    }

    @Test
    void kOfTheQueryIsTheNumberOfHits() {
        Rag rag = extractive();
        assertThat(rag.search(rag.query(QUESTION).k(2).build())).hasSize(2);
        assertThat(rag.search(rag.query(QUESTION).k(7).build())).hasSize(7);
    }

    @Test
    void badQueriesAreValidationErrorsNamingTheirField() {
        assertThatThrownBy(() -> Query.builder("x").k(0).build()).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("k");
        assertThatThrownBy(() -> Query.builder("x").k(Query.MAX_K + 1).build()).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Query.builder("x").mode(null).build()).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("mode");
        assertThatThrownBy(() -> extractive().search(Query.builder(" ").build())).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("query");
        assertThatThrownBy(() -> extractive().ask(Query.builder("").build())).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("question");
    }

    @Test
    void anExtractiveAnswerStreamsOneSentenceAtATimeAndCountsItsUsage() {
        List<String> deltas = new CopyOnWriteArrayList<>();
        Rag rag = extractive();
        Answer answer = rag.askStreaming(rag.query(QUESTION).build(), deltas::add, StopSignal.never());
        assertThat(answer.extractive()).isTrue();
        assertThat(deltas).hasSize(answer.citations().size()).hasSizeGreaterThan(1);
        assertThat(String.join("", deltas)).isEqualTo(answer.text());
        assertThat(deltas.get(1)).startsWith("\n").endsWith("[2]");
        Answer whole = rag.ask(rag.query(QUESTION).build());
        assertThat(whole.text()).isEqualTo(answer.text());
        assertThat(whole.citations()).isEqualTo(answer.citations());

        TokenUsage usage = answer.usage();
        assertThat(usage.completionTokens()).isEqualTo(Rag.TOKENIZER.length(answer.text()));
        assertThat(usage.promptTokens()).isGreaterThan(Rag.TOKENIZER.length(QUESTION));
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
        assertThat(whole.usage()).isEqualTo(usage);
    }

    @Test
    void noMatchingTextIsStillAnAnswerWithUsage() {
        Rag rag = extractive();
        List<String> deltas = new CopyOnWriteArrayList<>();
        Answer answer = rag.askStreaming(rag.query(QUESTION).filter(MetadataFilter.eq("lang", "xx")).build(), deltas::add,
                StopSignal.never());
        assertThat(answer.citations()).isEmpty();
        assertThat(deltas).containsExactly(answer.text());
        assertThat(answer.usage().promptTokens()).isEqualTo(Rag.TOKENIZER.length(QUESTION));
        assertThat(answer.usage().completionTokens()).isPositive();
    }

    @Test
    void aGeneratedAnswerStreamsTheModelsPiecesWithItsUsage() {
        ChatModel llm = new PiecesModel(List.of("Lincoln ", "spoke ", "of the union [1]."), new TokenUsage(300, 7, 307));
        Rag rag = Rag.builder(EMBEDDER, STORE).chatModel(llm).build();
        List<String> deltas = new CopyOnWriteArrayList<>();
        Answer answer = rag.askStreaming(rag.query(QUESTION).k(3).build(), deltas::add, StopSignal.never());
        assertThat(deltas).containsExactly("Lincoln ", "spoke ", "of the union [1].");
        assertThat(answer.text()).isEqualTo("Lincoln spoke of the union [1].");
        assertThat(answer.citations()).extracting(Citation::number).containsExactly(1); // what the text cites
        assertThat(answer.usage()).isEqualTo(new TokenUsage(300, 7, 307));
        assertThat(answer.servedBy()).isEqualTo("pieces:pieces");
    }

    @Test
    void theQuerysAnswerTokenLimitReachesTheModelAndAnAnswerCutThereSaysSo() {
        List<Integer> limits = new CopyOnWriteArrayList<>();
        ChatModel limited = new PiecesModel(List.of("Lincoln spoke of the union [1]."), TokenUsage.NONE) {
            @Override
            public ChatResult chat(ChatRequest request) {
                int max = request.options().maxTokens();
                limits.add(max);
                return new ChatResult(max < 10 ? "Lincoln" : "Lincoln spoke of the union [1].", "pieces", "",
                        max < 10 ? "length" : "stop", TokenUsage.NONE);
            }
        };
        Rag rag = Rag.builder(EMBEDDER, STORE).chatModel(limited).build();
        Answer cut = rag.ask(rag.query(QUESTION).maxAnswerTokens(3).build());
        Answer whole = rag.ask(rag.query(QUESTION).build());
        assertThat(limits).containsExactly(3, CompletionOptions.DEFAULT_MAX_TOKENS);
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.text()).isEqualTo("Lincoln");
        assertThat(whole.truncated()).isFalse();
        assertThat(rag.ask(rag.query(QUESTION).maxAnswerTokens(3).build()).extractive()).isFalse();
        assertThat(Rag.builder(EMBEDDER, STORE).build().ask(rag.query(QUESTION).maxAnswerTokens(3).build()).truncated())
                .as("an extractive answer is never cut").isFalse();
        assertThatThrownBy(() -> rag.query(QUESTION).maxAnswerTokens(-1).build()).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("max_tokens"));
        assertThatThrownBy(() -> rag.query(QUESTION).maxAnswerTokens(CompletionOptions.MAX_TOKENS_LIMIT + 1).build())
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void aModelThatReportsNoUsageGetsItCounted() {
        ChatModel llm = new PiecesModel(List.of("An answer [1]."), TokenUsage.NONE);
        Rag rag = Rag.builder(EMBEDDER, STORE).chatModel(llm).build();
        Answer answer = rag.askStreaming(rag.query(QUESTION).build(), d -> { }, StopSignal.never());
        assertThat(answer.usage().completionTokens()).isEqualTo(Rag.TOKENIZER.length("An answer [1]."));
        assertThat(answer.usage().promptTokens()).isGreaterThan(Rag.TOKENIZER.length(Rag.SYSTEM_PROMPT));
    }

    @Test
    void stoppingCutsOffAModelWaitingForItsNextPiece() throws Exception {
        BlockingModel llm = new BlockingModel(1);
        Rag rag = Rag.builder(EMBEDDER, STORE).chatModel(llm).build();
        StopSignal stop = StopSignal.withGrace(Duration.ZERO);
        List<String> deltas = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                llm.waiting.await();
                stop.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThatThrownBy(() -> rag.askStreaming(rag.query(QUESTION).build(), deltas::add, stop))
                .isInstanceOf(StoppedException.class);
        assertThat(llm.interrupted).isTrue();
        assertThat(deltas).containsExactly("piece 0");
        assertThat(Thread.currentThread().isInterrupted()).isFalse(); // the interrupt stays with the stopped call
    }

    @Test
    void stoppingBeforeTheFirstPieceDeliversNothingAndIsNotAFallback() throws Exception {
        BlockingModel llm = new BlockingModel(0);
        Rag rag = Rag.builder(EMBEDDER, STORE).chatModel(llm).fallbackToExtractive(true).build();
        StopSignal stop = StopSignal.withGrace(Duration.ZERO);
        List<String> deltas = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                llm.waiting.await();
                stop.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThatThrownBy(() -> rag.askStreaming(rag.query(QUESTION).build(), deltas::add, stop))
                .isInstanceOf(StoppedException.class);
        assertThat(deltas).isEmpty();
    }

    @Test
    void aCallerThatStopsAndThrowsFromItsConsumerEndsTheStreamAsStopped() {
        PiecesModel llm = new PiecesModel(List.of("a ", "b ", "c ", "d"), new TokenUsage(10, 4, 14));
        Rag rag = Rag.builder(EMBEDDER, STORE).chatModel(llm).build();
        StopSignal stop = StopSignal.withGrace(Duration.ZERO);
        List<String> deltas = new CopyOnWriteArrayList<>();
        Consumer<String> clientGoneAfterTwo = d -> {
            if (deltas.size() == 2) {
                stop.stop(); // what a server does when its write fails
                throw new UncheckedIOException(new java.io.IOException("Broken pipe"));
            }
            deltas.add(d);
        };
        assertThatThrownBy(() -> rag.askStreaming(rag.query(QUESTION).build(), clientGoneAfterTwo, stop))
                .isInstanceOf(StoppedException.class).hasRootCauseMessage("Broken pipe");
        assertThat(deltas).containsExactly("a ", "b ");
        assertThat(llm.offered.get()).isEqualTo(3); // the model was told at the third piece, and offered no fourth
    }

    @Test
    void aStopBeforeTheCallRefusesIt() {
        Rag rag = Rag.builder(EMBEDDER, STORE).chatModel(new PiecesModel(List.of("x"), TokenUsage.NONE)).build();
        StopSignal stop = StopSignal.withGrace(Duration.ZERO);
        stop.stop();
        assertThatThrownBy(() -> rag.askStreaming(rag.query(QUESTION).build(), d -> { }, stop))
                .isInstanceOf(StoppedException.class);
    }

    @Test
    void aModelFailingBeforeItsFirstPieceFallsBackToAStreamedExtractiveAnswer() {
        ChatModel failing = new PiecesModel(List.of(), TokenUsage.NONE) {
            @Override
            public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
                throw new ProviderException("HTTP 503", 503, "overloaded", true);
            }
        };
        Rag rag = Rag.builder(EMBEDDER, STORE).chatModel(failing).fallbackToExtractive(true).build();
        List<String> deltas = new CopyOnWriteArrayList<>();
        Answer answer = rag.askStreaming(rag.query(QUESTION).build(), deltas::add, StopSignal.never());
        assertThat(answer.extractive()).isTrue();
        assertThat(answer.fallbackReason()).contains("503");
        assertThat(String.join("", deltas)).isEqualTo(answer.text());
    }

    @Test
    void aModelFailingAfterItsFirstPieceIsAnErrorEvenWithFallback() {
        ChatModel breaking = new PiecesModel(List.of(), TokenUsage.NONE) {
            @Override
            public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
                onDelta.accept("Lincoln ");
                throw new ProviderException("stream broke", 0, null, false);
            }
        };
        Rag rag = Rag.builder(EMBEDDER, STORE).chatModel(breaking).fallbackToExtractive(true).build();
        List<String> deltas = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> rag.askStreaming(rag.query(QUESTION).build(), deltas::add, StopSignal.never()))
                .isInstanceOf(ProviderException.class).hasMessageContaining("stream broke");
        assertThat(deltas).containsExactly("Lincoln ");
    }

    /** Streams fixed pieces; counts the pieces it offered its consumer. */
    private static class PiecesModel implements ChatModel {
        final java.util.concurrent.atomic.AtomicInteger offered = new java.util.concurrent.atomic.AtomicInteger();
        private final List<String> pieces;
        private final TokenUsage usage;

        PiecesModel(List<String> pieces, TokenUsage usage) {
            this.pieces = pieces;
            this.usage = usage;
        }

        @Override
        public String provider() {
            return "pieces";
        }

        @Override
        public String model() {
            return "pieces";
        }

        @Override
        public ChatResult chat(ChatRequest request) {
            return new ChatResult(String.join("", pieces), "pieces", "", "stop", usage);
        }

        @Override
        public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
            for (String p : pieces) {
                offered.incrementAndGet();
                onDelta.accept(p);
            }
            return chat(request);
        }
    }

    /** Streams {@code before} pieces, then waits (interruptibly, as an HTTP read does) for a piece that never comes. */
    private static final class BlockingModel implements ChatModel {
        final CountDownLatch waiting = new CountDownLatch(1);
        private final int before;
        volatile boolean interrupted;

        BlockingModel(int before) {
            this.before = before;
        }

        @Override
        public String provider() {
            return "blocking";
        }

        @Override
        public String model() {
            return "blocking";
        }

        @Override
        public ChatResult chat(ChatRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ChatResult stream(ChatRequest request, Consumer<String> onDelta) {
            for (int i = 0; i < before; i++) {
                onDelta.accept("piece " + i);
            }
            waiting.countDown();
            try {
                new CountDownLatch(1).await(1, TimeUnit.MINUTES);
                throw new AssertionError("the stop did not interrupt the wait");
            } catch (InterruptedException e) {
                interrupted = true;
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("interrupted while reading the stream");
            }
        }
    }
}
