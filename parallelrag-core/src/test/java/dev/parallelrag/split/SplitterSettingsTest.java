package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import dev.parallelrag.runtime.InFlightProbe;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Splitter settings not covered by the LangChain golden cases: each, set away from its default, changes the
 * chunks or how the splitting runs. Rows of docs/configuration.md name these.
 */
class SplitterSettingsTest {

    private static final String TEXT = "The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. "
            + "How vexingly quick daft zebras jump. Sphinx of black quartz, judge my vow.";

    @Test
    void separatorSplitterLengthFunctionIsTheUnitOfChunkSize() {
        LengthFunction tokens = LengthFunction.tokens("cl100k_base");
        SeparatorSplitter.Builder words = SeparatorSplitter.builder().separator(" ").chunkSize(12).chunkOverlap(0);

        List<String> byCodePoints = words.build().splitText(TEXT);
        List<String> byTokens = words.lengthFunction(tokens).build().splitText(TEXT);

        assertThat(byCodePoints).allSatisfy(c -> assertThat(c.codePointCount(0, c.length())).isLessThanOrEqualTo(12));
        assertThat(byTokens).allSatisfy(c -> assertThat(tokens.length(c)).isLessThanOrEqualTo(12))
                .anySatisfy(c -> assertThat(c.codePointCount(0, c.length())).isGreaterThan(12));
        assertThat(byTokens.size()).isLessThan(byCodePoints.size());
    }

    @Test
    void sentenceSplitterLongSentenceSplitterCutsSentencesLongerThanAChunk() {
        String longSentence = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho.";
        TextSplitter tokens = TokenSplitter.of(4, 0);
        SentenceSplitter custom = SentenceSplitter.builder().chunkSize(20).chunkOverlap(0).longSentenceSplitter(tokens).build();
        SentenceSplitter standard = SentenceSplitter.builder().chunkSize(20).chunkOverlap(0).build();

        assertThat(custom.splitText(longSentence)).containsExactlyElementsOf(tokens.splitText(longSentence));
        assertThat(standard.splitText(longSentence)).isNotEqualTo(custom.splitText(longSentence));
    }

    /** A splitter that cuts nothing (one chunk per segment) and probes how many segments it splits at once. */
    private static final class ProbedSplitter implements TextSplitter {
        final InFlightProbe probe = new InFlightProbe(2);

        @Override
        public List<Chunk> split(Document document) {
            probe.enter();
            String text = document.text();
            return text.isBlank() ? List.of() : List.of(new Chunk(document.id(), 0, 0, text.length(), text, document.metadata()));
        }
    }

    private static long run(StreamingSplitter splitter) throws IOException {
        String text = "A paragraph of some words.\n\n".repeat(10);
        return splitter.split("s", new StringReader(text), chunk -> { });
    }

    @Test
    void streamingSplitterRuntimeAndWindowBoundTheSegmentsSplitAtOnce() throws IOException {
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(2).threadNamePrefix("mine").build())) {
            ProbedSplitter sequential = new ProbedSplitter();
            run(StreamingSplitter.builder(sequential).segmentChars(64).build());
            assertThat(sequential.probe.peak()).as("no runtime: on the caller's thread, one at a time").isEqualTo(1);
            assertThat(sequential.probe.threads()).containsOnly(Thread.currentThread().getName());

            ProbedSplitter parallel = new ProbedSplitter();
            run(StreamingSplitter.builder(parallel).segmentChars(64).runtime(runtime).build());
            assertThat(parallel.probe.peak()).as("the runtime's two CPU threads").isEqualTo(2);
            assertThat(parallel.probe.threads()).allSatisfy(name -> assertThat(name).startsWith("mine-cpu-"));

            ProbedSplitter windowOfOne = new ProbedSplitter();
            run(StreamingSplitter.builder(windowOfOne).segmentChars(64).runtime(runtime).window(1).build());
            assertThat(windowOfOne.probe.peak()).as("window 1").isEqualTo(1);
        }
    }

    @Test
    void aWindowWithoutARuntimeIsRejectedRatherThanIgnored() {
        assertThatThrownBy(() -> StreamingSplitter.builder(CharacterSplitter.of(10, 0)).window(4).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("window").hasMessageContaining("runtime(");
    }
}
