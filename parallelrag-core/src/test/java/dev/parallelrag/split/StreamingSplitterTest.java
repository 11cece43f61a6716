package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.io.InputSource;
import dev.parallelrag.io.InputUnreadableException;
import dev.parallelrag.io.InvalidUtf8Exception;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class StreamingSplitterTest {

    private static ParallelRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(2).build());
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** Paragraphs with emoji, CJK and combining marks, so UTF-16 and code-point offsets differ. */
    private static String text(int paragraphs) {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < paragraphs; p++) {
            sb.append("Paragraph ").append(p).append(": the 🦜 parrot flew over 東京 and café\u0301. ".repeat(1 + p % 5));
            sb.append(p % 3 == 0 ? "\n\n" : "\n");
        }
        return sb.toString();
    }

    private static List<StreamedChunk> stream(StreamingSplitter splitter, String text) throws IOException {
        List<StreamedChunk> out = new ArrayList<>();
        splitter.split("doc", new StringReader(text), out::add);
        return out;
    }

    private static void assertExactSlices(String whole, List<StreamedChunk> chunks) {
        for (int i = 0; i < chunks.size(); i++) {
            StreamedChunk c = chunks.get(i);
            assertThat(c.index()).isEqualTo(i);
            assertThat(whole.substring((int) c.start(), (int) c.end())).isEqualTo(c.text());
            assertThat(c.codePointStart()).isEqualTo(whole.codePointCount(0, (int) c.start()));
            assertThat(c.codePointEnd()).isEqualTo(whole.codePointCount(0, (int) c.end()));
            if (i > 0) {
                assertThat(c.start()).isGreaterThanOrEqualTo(chunks.get(i - 1).start());
                assertThat(c.end()).isGreaterThan(chunks.get(i - 1).end());
            }
        }
    }

    @Test
    void inputWithinOneSegmentGivesExactlyTheChunksOfTheWholeTextForEverySplitter() throws IOException {
        for (TextSplitter inner : List.of(CharacterSplitter.of(120, 20), Splitters.separator("\n", 120, 20),
                RecursiveSplitter.of(120, 20), TokenSplitter.of(30, 5), SentenceSplitter.of(120, 20))) {
            assertStreamingEqualsWholeText(inner, text(40));
        }
    }

    private static void assertStreamingEqualsWholeText(TextSplitter inner, String whole) throws IOException {
        List<Chunk> expected = inner.split(new Document("doc", whole));

        List<StreamedChunk> streamed = stream(StreamingSplitter.builder(inner).segmentChars(whole.length()).build(), whole);

        assertThat(streamed).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Chunk e = expected.get(i);
            StreamedChunk s = streamed.get(i);
            assertThat(List.of(s.index(), s.start(), s.end(), (Object) s.text()))
                    .containsExactly((long) e.index(), (long) e.start(), (long) e.end(), e.text());
        }
        assertExactSlices(whole, streamed);
    }

    @Test
    void segmentsAreCutAtParagraphBreaksAndChunksAreRebasedAndRenumbered() throws IOException {
        String whole = text(400);
        StreamingSplitter splitter = StreamingSplitter.builder(TokenSplitter.of(25, 4)).segmentChars(1500).build();

        List<StreamedChunk> chunks = stream(splitter, whole);

        assertThat(chunks.size()).isGreaterThan(100);
        assertExactSlices(whole, chunks);
        // every non-whitespace character is covered: seams lose nothing
        boolean[] covered = new boolean[whole.length()];
        chunks.forEach(c -> java.util.Arrays.fill(covered, (int) c.start(), (int) c.end(), true));
        for (int i = 0; i < whole.length(); i++) {
            if (!Character.isWhitespace(whole.charAt(i))) {
                assertThat(covered[i]).as("character %d covered", i).isTrue();
            }
        }
    }

    @Test
    void textWithoutWhitespaceIsCutAtTheLimitWithoutSplittingSurrogatePairs() throws IOException {
        String whole = "🦜ab".repeat(3000); // no whitespace at all; pairs sit at every alignment
        StreamingSplitter splitter = StreamingSplitter.builder(TokenSplitter.of(40, 0)).segmentChars(101).build();

        List<StreamedChunk> chunks = stream(splitter, whole);

        assertExactSlices(whole, chunks);
        assertThat(chunks.getLast().end()).isEqualTo(whole.length());
        chunks.forEach(c -> assertThat(c.text().codePoints().allMatch(cp -> !Character.isSurrogate((char) cp) || cp > 0xFFFF)).isTrue());
    }

    @Test
    void parallelRunDeliversExactlyTheSequentialOutput() throws IOException {
        String whole = text(600);
        TextSplitter inner = TokenSplitter.of(40, 8);
        StreamingSplitter sequential = StreamingSplitter.builder(inner).segmentChars(2000).build();
        StreamingSplitter parallel = StreamingSplitter.builder(inner).segmentChars(2000).runtime(runtime).window(3).build();

        assertThat(stream(parallel, whole)).isEqualTo(stream(sequential, whole));
    }

    @Test
    void aFailingSourceIsReportedOnceAndTheOthersContinueInOrder(@TempDir Path dir) throws IOException {
        Path good1 = Files.writeString(dir.resolve("good1.txt"), text(30));
        Path badUtf8 = dir.resolve("bad.txt");
        byte[] prefix = text(200).getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        bad[prefix.length] = (byte) 0xFE;
        Files.write(badUtf8, bad);
        Path good2 = Files.writeString(dir.resolve("good2.txt"), text(31));
        List<InputSource> sources = List.of(InputSource.file(good1), InputSource.file(dir.resolve("missing.txt")),
                InputSource.file(dir), InputSource.file(badUtf8), InputSource.file(good2));

        for (ParallelRuntime rt : new ParallelRuntime[] {null, runtime}) {
            List<String> events = new ArrayList<>();
            List<Exception> errors = new ArrayList<>();
            StreamingSplitter splitter = StreamingSplitter.builder(TokenSplitter.of(50, 5)).segmentChars(3000).runtime(rt).build();
            StreamingSplitter.Summary summary = splitter.splitAll(sources, new StreamSink() {
                @Override
                public void chunk(StreamedChunk chunk) {
                    if (chunk.index() == 0) {
                        events.add("first " + Path.of(chunk.sourceId()).getFileName());
                    }
                }

                @Override
                public void sourceFinished(String sourceId, long chunks) {
                    events.add("done " + Path.of(sourceId).getFileName());
                }

                @Override
                public void sourceFailed(String sourceId, Exception error) {
                    events.add("failed " + Path.of(sourceId).getFileName());
                    errors.add(error);
                }
            });

            assertThat(events).containsExactly("first good1.txt", "done good1.txt", "failed missing.txt",
                    "failed " + dir.getFileName(), "first bad.txt", "failed bad.txt", "first good2.txt", "done good2.txt");
            assertThat(errors.get(0)).isInstanceOf(InputUnreadableException.class).hasMessageEndingWith("missing.txt: no such file");
            assertThat(errors.get(1)).isInstanceOf(InputUnreadableException.class).hasMessageEndingWith(": is a directory, not a file");
            assertThat(errors.get(2)).isInstanceOfSatisfying(InvalidUtf8Exception.class,
                    e -> assertThat(e.byteOffset()).isEqualTo(prefix.length));
            assertThat(summary.sources()).isEqualTo(5);
            assertThat(summary.failedSources()).isEqualTo(3);
        }
    }

    @Test
    void splitRethrowsTheTypedErrorOfItsInput() {
        byte[] bad = {'a', 'b', (byte) 0x80};
        StreamingSplitter splitter = StreamingSplitter.of(TokenSplitter.of(10, 0));

        assertThatThrownBy(() -> splitter.split("-", new dev.parallelrag.io.StrictUtf8Reader("-", new ByteArrayInputStream(bad)), c -> { }))
                .isInstanceOf(InvalidUtf8Exception.class)
                .hasMessageStartingWith("-: invalid UTF-8 at byte offset 2");
    }

    @Test
    void rejectsATooSmallSegmentSize() {
        assertThatThrownBy(() -> StreamingSplitter.builder(TokenSplitter.of(10, 0)).segmentChars(3).build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("segmentChars = 3");
    }
}
