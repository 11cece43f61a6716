package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test against LangChain (langchain-text-splitters 1.1.2): every case of the golden file
 * recorded from the Python splitters. "character" cases run through {@link SeparatorSplitter}
 * ({@code CharacterTextSplitter}), "recursive" cases through {@link RecursiveSplitter}.
 *
 * <p>Where LangChain's chunk is a slice of its input (start_index != -1), our chunk text must be equal.
 * Where it is not (start_index == -1), LangChain joined pieces with text that is not in the source, and
 * our documented behaviour (docs/splitters.md, "Differences from LangChain") applies instead:
 * <ul>
 *   <li>the consuming-regex case ({@code \s+}, keep none): LangChain re-inserts the raw pattern
 *       ({@code "a\\s+b\\s+c"}); we keep the matched text ({@code "a  b   c"});</li>
 *   <li>the repeated-separator cases (keep none, several separators in a row): LangChain joins the pieces
 *       with one separator; we keep the source text between them. Those chunks must hold the same pieces,
 *       in the same order, as LangChain's.</li>
 * </ul>
 *
 * <p>LangChain's start_index comes from {@code text.find(chunk, hint)}, so when the same chunk text occurs
 * earlier it can report the earlier occurrence (for example two one-character chunks "b", "b" both at 9).
 * Our offsets are exact positions; they must equal LangChain's, or LangChain's must be an earlier
 * occurrence of the same text.
 */
class LangChainGoldenTest {

    private static final String RESOURCE = "/golden/langchain-text-splitters-1.1.2.json";

    static Stream<Arguments> cases() {
        JsonNode root = load();
        List<Arguments> args = new ArrayList<>();
        int i = 0;
        for (JsonNode c : root.get("cases")) {
            args.add(Arguments.of(Named.of(name(i, c), c)));
            i++;
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesLangChain(JsonNode c) {
        String text = c.get("text").asText();
        JsonNode params = c.get("params");
        TextSplitter splitter = "recursive".equals(c.get("splitter").asText()) ? recursive(params) : separator(params);
        List<Chunk> chunks = splitter.split(new Document("golden", text));

        List<String> expected = new ArrayList<>();
        c.get("chunks").forEach(n -> expected.add(n.asText()));
        List<Integer> expectedStarts = new ArrayList<>();
        c.get("start_index").forEach(n -> expectedStarts.add(n.asInt()));

        for (Chunk chunk : chunks) {
            assertThat(chunk.text()).as("chunk %d is the slice at its offsets", chunk.index())
                    .isEqualTo(text.substring(chunk.start(), chunk.end()));
        }
        if (isConsumingRegex(params)) {
            // Documented difference: the matched whitespace, not the pattern text "\s+", joins the pieces.
            assertThat(expected).containsExactly("a\\s+b\\s+c");
            assertThat(chunks).extracting(Chunk::text).containsExactly("a  b   c");
            assertThat(chunks.get(0).start()).isZero();
            return;
        }
        assertThat(chunks).as("chunk count").hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Chunk chunk = chunks.get(i);
            int start = text.codePointCount(0, chunk.start());
            int lcStart = expectedStarts.get(i);
            if (lcStart == -1) {
                // Documented difference: LangChain collapsed a run of separators into one; same pieces.
                String sep = params.path("separator").asText("\n\n");
                assertThat(keep(params.get("keep_separator"), KeepSeparator.NONE)).isEqualTo(KeepSeparator.NONE);
                assertThat(pieces(chunk.text(), sep)).as("pieces of chunk %d", i).isEqualTo(pieces(expected.get(i), sep));
                assertThat(chunk.text()).as("chunk %d keeps the separators between its pieces", i)
                        .isNotEqualTo(expected.get(i)).contains(sep + sep);
                continue;
            }
            assertThat(chunk.text()).as("chunk %d", i).isEqualTo(expected.get(i));
            if (start != lcStart) {
                assertThat(lcStart).as("LangChain's find() hit an earlier copy of chunk %d", i).isLessThan(start);
                int lcUtf16 = text.offsetByCodePoints(0, lcStart);
                assertThat(text.startsWith(chunk.text(), lcUtf16)).isTrue();
            }
        }
    }

    private static List<String> pieces(String chunk, String sep) {
        return Stream.of(chunk.split(java.util.regex.Pattern.quote(sep), -1)).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean isConsumingRegex(JsonNode params) {
        return params.path("is_separator_regex").asBoolean(false) && "\\s+".equals(params.path("separator").asText());
    }

    private static RecursiveSplitter recursive(JsonNode p) {
        RecursiveSplitter.Builder b = RecursiveSplitter.builder()
                .chunkSize(p.get("chunk_size").asInt())
                .chunkOverlap(p.get("chunk_overlap").asInt())
                .keepSeparator(keep(p.get("keep_separator"), KeepSeparator.START))
                .stripWhitespace(p.path("strip_whitespace").asBoolean(true))
                .separatorRegex(p.path("is_separator_regex").asBoolean(false));
        if (p.has("separators")) {
            List<String> seps = new ArrayList<>();
            p.get("separators").forEach(n -> seps.add(n.asText()));
            b.separators(seps);
        }
        return b.build();
    }

    private static SeparatorSplitter separator(JsonNode p) {
        return SeparatorSplitter.builder()
                .separator(p.path("separator").asText("\n\n"))
                .separatorRegex(p.path("is_separator_regex").asBoolean(false))
                .chunkSize(p.get("chunk_size").asInt())
                .chunkOverlap(p.get("chunk_overlap").asInt())
                .keepSeparator(keep(p.get("keep_separator"), KeepSeparator.NONE))
                .stripWhitespace(p.path("strip_whitespace").asBoolean(true))
                .build();
    }

    /** LangChain's keep_separator: false, true (= "start"), "start" or "end". */
    private static KeepSeparator keep(JsonNode node, KeepSeparator absent) {
        if (node == null || node.isNull()) {
            return absent;
        }
        if (node.isBoolean()) {
            return node.asBoolean() ? KeepSeparator.START : KeepSeparator.NONE;
        }
        return KeepSeparator.valueOf(node.asText().toUpperCase(java.util.Locale.ROOT));
    }

    private static String name(int i, JsonNode c) {
        JsonNode p = c.get("params");
        StringBuilder s = new StringBuilder().append('#').append(i).append(' ').append(c.get("splitter").asText())
                .append(" size=").append(p.get("chunk_size").asInt()).append(" overlap=").append(p.get("chunk_overlap").asInt());
        if (p.has("separator")) {
            s.append(" sep=").append(Splitters.quote(p.get("separator").asText()));
        }
        if (p.has("separators")) {
            s.append(" seps=").append(p.get("separators").size());
        }
        if (p.has("keep_separator")) {
            s.append(" keep=").append(p.get("keep_separator").asText());
        }
        if (p.path("is_separator_regex").asBoolean(false)) {
            s.append(" regex");
        }
        if (p.has("strip_whitespace") && !p.get("strip_whitespace").asBoolean()) {
            s.append(" no-strip");
        }
        String text = c.get("text").asText();
        String head = text.length() > 24 ? text.substring(0, text.offsetByCodePoints(0, Math.min(20, text.codePointCount(0, text.length())))) + "…" : text;
        return s.append(" text=").append(Splitters.quote(head)).toString();
    }

    private static JsonNode load() {
        try (InputStream in = LangChainGoldenTest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + RESOURCE + " is missing");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
