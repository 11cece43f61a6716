package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import dev.parallelrag.split.CharacterSplitter;
import dev.parallelrag.split.KeepSeparator;
import dev.parallelrag.split.LengthFunction;
import dev.parallelrag.split.RecursiveSplitter;
import dev.parallelrag.split.SentenceSplitter;
import dev.parallelrag.split.SeparatorSplitter;
import dev.parallelrag.split.TextSplitter;
import dev.parallelrag.split.TokenSplitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SplitCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = Path.of("../examples/sample/1861_abraham_lincoln_r.txt");
    /** Emoji, CJK and combining marks: UTF-16 and code-point offsets differ. */
    private static final String UNICODE_TEXT = ("The 🦜 parrot visited 東京 in spring. Café\u0301 au lait, s'il vous plaît!\n\n"
            + "第二段落です。🎉🎉 Party time, with 👩‍👩‍👧 family.\n").repeat(30);

    @TempDir
    Path dir;

    private static List<JsonNode> records(SplitRun run) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : run.outLines()) {
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Slices by code points, as a Python consumer would: {@code text[start:end]}. */
    private static String codePointSlice(String text, int start, int end) {
        int[] cps = text.codePoints().toArray();
        return new String(cps, start, end - start);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void assertOneLineError(SplitRun run, int exitCode, String... fragments) {
        assertThat(run.exitCode()).isEqualTo(exitCode);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().getFirst()).startsWith("parallelrag split: ").contains(fragments)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** The chunk texts the library gives for the file, to compare the CLI's wiring of options against. */
    private static List<String> library(TextSplitter splitter, String text) {
        return splitter.split(new Document("x", text)).stream().map(Chunk::text).toList();
    }

    private static List<String> texts(SplitRun run) {
        return records(run).stream().map(r -> r.get("text").asText()).toList();
    }

    @Test
    void theReadmeCommandWritesJsonLinesWhoseCodePointOffsetsSliceTheFile() throws IOException {
        String text = Files.readString(SAMPLE);

        SplitRun run = SplitRun.run("split", SAMPLE.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        List<JsonNode> chunks = records(run);
        assertThat(chunks).hasSizeGreaterThan(40);
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode c = chunks.get(i);
            assertThat(c.fieldNames()).toIterable().containsExactly("source", "index", "start", "end", "text");
            assertThat(c.get("source").asText()).isEqualTo(SAMPLE.toString());
            assertThat(c.get("index").asInt()).isEqualTo(i);
            assertThat(codePointSlice(text, c.get("start").asInt(), c.get("end").asInt())).isEqualTo(c.get("text").asText());
        }
        // documented defaults: recursive, 1000 code points, overlap 200
        assertThat(texts(run)).isEqualTo(library(RecursiveSplitter.builder().chunkSize(1000).chunkOverlap(200).build(), text));
    }

    @Test
    void offsetsAreCodePointsForNonAsciiText() throws IOException {
        Path file = write("unicode.txt", UNICODE_TEXT);

        for (String splitter : List.of("character", "separator", "recursive", "token", "sentence")) {
            SplitRun run = SplitRun.run("split", "--splitter", splitter, "--chunk-size", "40", "--chunk-overlap", "8", file.toString());

            assertThat(run.exitCode()).as(splitter).isZero();
            List<JsonNode> chunks = records(run);
            assertThat(chunks).as(splitter).isNotEmpty();
            for (JsonNode c : chunks) {
                assertThat(codePointSlice(UNICODE_TEXT, c.get("start").asInt(), c.get("end").asInt()))
                        .as(splitter).isEqualTo(c.get("text").asText());
            }
        }
    }

    @Test
    void filesComeOutInArgumentOrderAndDashReadsStandardInput() throws IOException {
        Path a = write("a.txt", "alpha one.\n\nalpha two.");
        Path b = write("b.txt", "bravo one.\n\nbravo two.");

        SplitRun run = SplitRun.runWithStdin("from stdin 🦜".getBytes(StandardCharsets.UTF_8),
                "split", "--chunk-size", "12", "--chunk-overlap", "0", b.toString(), "-", a.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(records(run)).extracting(r -> r.get("source").asText() + "#" + r.get("index").asInt() + ":" + r.get("text").asText())
                .containsExactly(b + "#0:bravo one.", b + "#1:bravo two.", "-#0:from stdin 🦜", a + "#0:alpha one.", a + "#1:alpha two.");
    }

    @Test
    void noFileReadsStandardInput() {
        SplitRun run = SplitRun.runWithStdin("just some text".getBytes(StandardCharsets.UTF_8), "split");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly("{\"source\":\"-\",\"index\":0,\"start\":0,\"end\":14,\"text\":\"just some text\"}");
    }

    @Test
    void optionsReachTheSplitterTheyConfigure() throws IOException {
        String text = Files.readString(SAMPLE);
        String path = SAMPLE.toString();

        assertThat(texts(SplitRun.run("split", "--splitter", "character", "--chunk-size", "300", "--chunk-overlap", "30", path)))
                .isEqualTo(library(CharacterSplitter.of(300, 30), text));
        assertThat(texts(SplitRun.run("split", "--splitter", "separator", "--separator", "\\n", "--keep-separator", "end",
                "--no-strip", "--chunk-size", "400", "--chunk-overlap", "0", path)))
                .isEqualTo(library(SeparatorSplitter.builder().separator("\n").keepSeparator(KeepSeparator.END)
                        .stripWhitespace(false).chunkSize(400).chunkOverlap(0).build(), text));
        assertThat(texts(SplitRun.run("split", "--splitter", "separator", "--separator", "[.!?]\\s+", "--separator-regex",
                "--chunk-size", "200", "--chunk-overlap", "0", path)))
                .isEqualTo(library(SeparatorSplitter.builder().separator("[.!?]\\s+").separatorRegex(true)
                        .chunkSize(200).chunkOverlap(0).build(), text));
        assertThat(texts(SplitRun.run("split", "--separators", "[\"\\n\",\" \"]", "--length", "tokens", "--encoding", "o200k_base",
                "--chunk-size", "100", "--chunk-overlap", "10", path)))
                .isEqualTo(library(RecursiveSplitter.builder().separators(List.of("\n", " "))
                        .lengthFunction(LengthFunction.tokens("o200k_base")).chunkSize(100).chunkOverlap(10).build(), text));
        assertThat(texts(SplitRun.run("split", "--splitter", "token", "--encoding", "p50k_base", "--chunk-size", "200",
                "--chunk-overlap", "20", path)))
                .isEqualTo(library(TokenSplitter.builder().encoding("p50k_base").chunkSize(200).chunkOverlap(20).build(), text));
        assertThat(texts(SplitRun.run("split", "--splitter", "token", "--strip", "--chunk-size", "200", "--chunk-overlap", "20", path)))
                .isEqualTo(library(TokenSplitter.builder().chunkSize(200).chunkOverlap(20).stripWhitespace(true).build(), text))
                .isNotEqualTo(library(TokenSplitter.builder().chunkSize(200).chunkOverlap(20).build(), text));
        assertThat(texts(SplitRun.run("split", "--splitter", "sentence", "--chunk-size", "500", "--chunk-overlap", "100", path)))
                .isEqualTo(library(SentenceSplitter.builder().chunkSize(500).chunkOverlap(100).build(), text));
    }

    @Test
    void htmlIsSplitAsTheTextTheIngestReaderExtractsNotItsMarkup() throws IOException {
        Path page = write("page.html", "<html><head><title>T</title><style>p { color: red }</style></head><body>"
                + "<h1>Union</h1><p>The state of the <b>Union</b> is strong.</p><script>var x = 1;</script></body></html>");
        SplitRun run = SplitRun.run("split", "--chunk-size", "200", page.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        String text = String.join("\n", texts(run));
        assertThat(text).contains("Union").contains("The state of the Union is strong.")
                .doesNotContain("<p>").doesNotContain("<b>").doesNotContain("color: red").doesNotContain("var x");
        // the same text ingest indexes: the registry's reader, offsets into it
        String read = dev.parallelrag.read.ReaderRegistry.defaults().read(page, "page.html").text();
        for (JsonNode r : records(run)) {
            assertThat(codePointSlice(read, r.get("start").asInt(), r.get("end").asInt())).isEqualTo(r.get("text").asText());
        }
    }

    @Test
    void textFormatWritesAHeaderPerChunk() throws IOException {
        Path file = write("t.txt", "first part\n\nsecond part");

        SplitRun run = SplitRun.run("split", "--format", "text", "--chunk-size", "14", "--chunk-overlap", "0", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("==> " + file + " #0 [0, 10) <==\nfirst part\n==> " + file + " #1 [12, 23) <==\nsecond part\n");
    }

    // ---- Must show 7: each bad input gives a one-line error naming the problem, with the contract's exit code

    @Test
    void invalidUtf8NamesTheFileAndByteOffsetAndTheOtherFilesContinue() throws IOException {
        byte[] bytes = "Valid text, then a bad byte: ".getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(bytes, bytes.length + 3);
        bad[bytes.length] = (byte) 0xC3; // a lead byte followed by ASCII: malformed
        bad[bytes.length + 1] = 'x';
        bad[bytes.length + 2] = 'y';
        Path badFile = Files.write(dir.resolve("latin1.txt"), bad);
        Path good = write("good.txt", "good text");

        SplitRun run = SplitRun.run("split", badFile.toString(), good.toString());

        assertOneLineError(run, 1, badFile.toString(), "invalid UTF-8 at byte offset " + bytes.length);
        assertThat(records(run)).extracting(r -> r.get("source").asText()).containsExactly(good.toString());
    }

    @Test
    void aDirectoryGivenAsAFileIsReported() throws IOException {
        Path good = write("good.txt", "good text");

        SplitRun run = SplitRun.run("split", dir.toString(), good.toString());

        assertOneLineError(run, 1, dir + ": is a directory, not a file");
        assertThat(run.outLines()).hasSize(1);
    }

    @Test
    void aMissingFileIsReportedAndTheOtherFilesContinue() throws IOException {
        Path good = write("good.txt", "good text");

        SplitRun run = SplitRun.run("split", good.toString(), dir.resolve("nope.txt").toString(), good.toString());

        assertOneLineError(run, 1, dir.resolve("nope.txt") + ": no such file");
        assertThat(run.outLines()).hasSize(2);
    }

    @Test
    void zeroOrNegativeSizeIsAUsageError() {
        assertOneLineError(SplitRun.run("split", "--chunk-size", "0", SAMPLE.toString()), 2, "--chunk-size = 0", "at least 1");
        assertOneLineError(SplitRun.run("split", "--chunk-size", "-5", SAMPLE.toString()), 2, "--chunk-size = -5", "at least 1");
        assertOneLineError(SplitRun.run("split", "--chunk-overlap", "-1", SAMPLE.toString()), 2, "--chunk-overlap = -1", "at least 0");
    }

    @Test
    void overlapLargerThanAllowedIsAUsageErrorForEverySplitter() {
        for (String splitter : List.of("character", "separator", "recursive", "token", "sentence")) {
            SplitRun run = SplitRun.run("split", "--splitter", splitter, "--chunk-size", "100", "--chunk-overlap", "150", SAMPLE.toString());
            assertOneLineError(run, 2, "--chunk-overlap = 150");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void unknownEncodingIsAUsageError() {
        SplitRun run = SplitRun.run("split", "--splitter", "token", "--encoding", "utf-9", SAMPLE.toString());

        assertOneLineError(run, 2, "--encoding = \"utf-9\"", "cl100k_base");
    }

    @Test
    void badEnumValuesUnknownOptionsAndBadJsonAreUsageErrors() {
        assertOneLineError(SplitRun.run("split", "--splitter", "semantic"), 2, "--splitter", "semantic");
        assertOneLineError(SplitRun.run("split", "--format", "xml"), 2, "--format", "xml");
        assertOneLineError(SplitRun.run("split", "--chunk-size", "ten"), 2, "--chunk-size", "ten");
        assertOneLineError(SplitRun.run("split", "--frobnicate"), 2, "--frobnicate");
        assertOneLineError(SplitRun.run("split", "--separators", "[\"\\n\"", SAMPLE.toString()), 2, "--separators", "JSON array");
        assertOneLineError(SplitRun.run("split", "--separator", "(", "--separator-regex", "--splitter", "separator", SAMPLE.toString()), 2,
                "--separator");
    }

    @Test
    void anOptionTheChosenSplitterWouldIgnoreIsAUsageError() {
        assertOneLineError(SplitRun.run("split", "--splitter", "token", "--separator", ";", SAMPLE.toString()), 2,
                "--separator", "applies only to --splitter separator");
        assertOneLineError(SplitRun.run("split", "--splitter", "character", "--length", "tokens", SAMPLE.toString()), 2,
                "--length", "not character");
    }

    @Test
    void segmentSizeCutsTheInputIntoSegmentsThatNoChunkCrosses() throws IOException {
        // eight 40-character paragraphs: one 1000-character chunk as a whole, at least one chunk per
        // 100-unit segment when the segment size is 100
        String text = "Lorem ipsum dolor sit amet, consectetur.\n\n".repeat(8);
        Path file = write("paragraphs.txt", text);
        List<String> base = List.of("split", "--splitter", "character", "--chunk-size", "1000", "--chunk-overlap", "0");

        List<JsonNode> whole = records(SplitRun.run(concat(base, file.toString())));
        SplitRun segmented = SplitRun.run(concat(base, "--segment-size", "100", file.toString()));

        assertThat(whole).hasSize(1);
        List<JsonNode> chunks = records(segmented);
        assertThat(segmented.exitCode()).isZero();
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(text.length() / 100);
        for (JsonNode c : chunks) {
            int start = c.get("start").asInt();
            int end = c.get("end").asInt();
            assertThat(end - start).as("chunk %s stays inside one segment", c).isLessThanOrEqualTo(100);
            assertThat(c.get("text").asText()).isEqualTo(text.substring(start, end)); // ASCII: code points = units
        }
        assertOneLineError(SplitRun.run(concat(base, "--segment-size", "15", file.toString())), 2, "--segment-size", "between 16");
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }
}
