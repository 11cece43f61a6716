package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import dev.parallelrag.runtime.ParallelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must show 4: sequential and parallel {@code splitAll} give identical output on the whole SOTU corpus
 * (the repository's {@code data/sotu}, 233 speeches) for all five splitters.
 */
@Timeout(300)
class SotuParallelEqualsSequentialTest {

    private static List<Document> corpus;
    private static ParallelRuntime runtime;

    @BeforeAll
    static void load() {
        corpus = SotuCorpus.documents();
        runtime = ParallelRuntime.create();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static Stream<Arguments> splitters() {
        return Stream.of(
                Arguments.of("character 500/50", Splitters.character(500, 50)),
                Arguments.of("separator \\n\\n 500/50", Splitters.separator("\n\n", 500, 50)),
                Arguments.of("recursive 500/50", Splitters.recursive(500, 50)),
                Arguments.of("token 200/20", Splitters.token(200, 20)),
                Arguments.of("sentence 500/50", Splitters.sentence(500, 50)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splitters")
    void parallelSplitAllIsIdenticalToSequential(String name, TextSplitter splitter) {
        assertThat(corpus).hasSize(233);
        List<Chunk> sequential = new ArrayList<>();
        for (Document d : corpus) {
            sequential.addAll(splitter.split(d));
        }

        List<Chunk> parallel = new BatchSplitter(splitter, runtime).splitAll(corpus);

        assertThat(sequential).isNotEmpty();
        assertThat(parallel).hasSameSizeAs(sequential);
        assertThat(parallel).isEqualTo(sequential);
        for (Chunk c : parallel.subList(0, 50)) {
            assertThat(c.text()).isNotBlank();
        }
    }
}
