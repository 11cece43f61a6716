package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class BatchSplitterTest {

    private static ParallelRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(3).build());
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static Document doc(int i) {
        return new Document("doc-" + i, ("Document " + i + " talks about 🦜 parrots and 東京. ").repeat(1 + i % 17));
    }

    private static List<Chunk> sequential(TextSplitter splitter, List<Document> docs) {
        List<Chunk> all = new ArrayList<>();
        for (Document d : docs) {
            all.addAll(splitter.split(d));
        }
        return all;
    }

    @Test
    void splitAllEqualsSequentialSplittingInTheSameOrder() {
        List<Document> docs = IntStream.range(0, 120).mapToObj(BatchSplitterTest::doc).toList();
        TextSplitter splitter = TokenSplitter.of(12, 3);

        List<Chunk> parallel = new BatchSplitter(splitter, runtime).splitAll(docs);

        assertThat(parallel).isEqualTo(sequential(splitter, docs));
    }

    @Test
    void splitEachReportsAFailingDocumentInPlaceAndKeepsTheOthers() {
        TokenSplitter tokens = TokenSplitter.of(5, 0);
        TextSplitter flaky = d -> {
            if (d.id().equals("doc-4")) {
                throw new ValidationException("document.text", "doc-4", "was rejected by this test splitter");
            }
            return tokens.split(d);
        };
        List<Document> docs = IntStream.range(0, 10).mapToObj(BatchSplitterTest::doc).toList();

        List<BatchSplitter.SplitResult> results = new BatchSplitter(flaky, runtime).splitEach(docs);

        assertThat(results).extracting(BatchSplitter.SplitResult::documentId)
                .containsExactlyElementsOf(docs.stream().map(Document::id).toList());
        assertThat(results.get(4).chunks()).isInstanceOf(Outcome.Failure.class);
        assertThat(results.get(5).chunks().orElseThrow()).isEqualTo(tokens.split(docs.get(5)));
        assertThatThrownBy(() -> new BatchSplitter(flaky, runtime).splitAll(docs))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("doc-4")
                .hasCauseInstanceOf(ValidationException.class);
    }

    @Test
    void streamGivesTheSameResultsInOrderWhileHoldingAtMostWindowDocuments() {
        int total = 3_000;
        AtomicInteger pulled = new AtomicInteger();
        Iterator<Document> source = new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < total;
            }

            @Override
            public Document next() {
                pulled.incrementAndGet();
                return doc(next++);
            }
        };
        TextSplitter splitter = TokenSplitter.of(20, 5);
        int window = 6;
        AtomicInteger consumed = new AtomicInteger();
        try (Stream<BatchSplitter.SplitResult> results = new BatchSplitter(splitter, runtime, window).stream(source)) {
            results.forEach(r -> {
                int i = consumed.getAndIncrement();
                assertThat(r.documentId()).isEqualTo("doc-" + i);
                assertThat(r.chunks().orElseThrow()).isEqualTo(splitter.split(doc(i)));
                assertThat(pulled.get()).isLessThanOrEqualTo(i + 1 + window);
            });
        }
        assertThat(consumed).hasValue(total);
    }

    @Test
    void emptyInputGivesNoChunks() {
        assertThat(new BatchSplitter(TokenSplitter.of(5, 1), runtime).splitAll(List.of())).isEmpty();
    }

    @Test
    void windowMustBePositive() {
        assertThatThrownBy(() -> new BatchSplitter(TokenSplitter.of(5, 1), runtime, 0))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("window = 0");
    }
}
