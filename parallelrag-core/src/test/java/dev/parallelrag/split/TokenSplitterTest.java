package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenSplitterTest {

    private static final String CHUNKY = "My name is Chunky. And this is a sentence.";

    /** What LangChain's TokenTextSplitter returns: the decoded text of each token window. */
    private static List<String> langChainWindows(String encodingName, String text, int size, int overlap) {
        Encoding encoding = LengthFunction.TokenEncodings.get(encodingName);
        IntArrayList ids = encoding.encodeOrdinary(text);
        List<String> out = new ArrayList<>();
        for (int start = 0; start < ids.size(); start += size - overlap) {
            int end = Math.min(start + size, ids.size());
            IntArrayList window = new IntArrayList();
            for (int i = start; i < end; i++) {
                window.add(ids.get(i));
            }
            out.add(encoding.decode(window));
            if (end == ids.size()) {
                break;
            }
        }
        return out;
    }

    private static void assertExactSlices(String text, List<Chunk> chunks) {
        for (Chunk c : chunks) {
            assertThat(text.substring(c.start(), c.end())).isEqualTo(c.text());
        }
    }

    @ParameterizedTest
    @CsvSource({"10,1", "10,2", "3,0", "3,2", "1,0"})
    void chunkySentenceGivesLangChainWindows(int size, int overlap) {
        TokenSplitter splitter = TokenSplitter.of(size, overlap);
        List<Chunk> chunks = splitter.split(new Document("d", CHUNKY));

        assertThat(chunks).extracting(Chunk::text).isEqualTo(langChainWindows("cl100k_base", CHUNKY, size, overlap));
        assertExactSlices(CHUNKY, chunks);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "o200k_base", "p50k_base", "r50k_base"})
    void everyEncodingMatchesLangChainOnAsciiText(String encoding) {
        String text = "The quick brown fox jumps over the lazy dog.\n\nPack my box with five dozen liquor jugs!  Tabs\tand  spaces.";
        TokenSplitter splitter = TokenSplitter.builder().encoding(encoding).chunkSize(7).chunkOverlap(3).build();

        List<Chunk> chunks = splitter.split(new Document("d", text));

        assertThat(splitter.encodingName()).isEqualTo(encoding);
        assertThat(chunks).extracting(Chunk::text).isEqualTo(langChainWindows(encoding, text, 7, 3));
        assertExactSlices(text, chunks);
    }

    @Test
    void encodingsTokenizeDifferently() {
        String text = "Ünïcödé tokenization differs: 東京は日本の首都です。".repeat(5);
        assertThat(TokenSplitter.builder().encoding("r50k_base").chunkSize(8).chunkOverlap(0).build().split(new Document("d", text)))
                .hasSizeGreaterThan(TokenSplitter.builder().encoding("o200k_base").chunkSize(8).chunkOverlap(0).build()
                        .split(new Document("d", text)).size());
    }

    @Test
    void windowEdgesInsideEmojiMoveToCharacterBoundaries() {
        // these emoji take several cl100k tokens each, so one-token windows cut inside them
        String text = "🦜🧬🪐 a 🫠";
        Encoding encoding = LengthFunction.TokenEncodings.get("cl100k_base");
        assertThat(encoding.countTokensOrdinary(text)).isGreaterThan(text.codePointCount(0, text.length()));

        List<Chunk> chunks = TokenSplitter.of(1, 0).split(new Document("d", text));

        assertExactSlices(text, chunks);
        for (Chunk c : chunks) {
            assertThat(c.text().codePoints().filter(cp -> cp >= 0xD800 && cp <= 0xDFFF).count()).isZero();
        }
        // with no overlap the chunks meet exactly: together they are the text minus dropped blank windows
        StringBuilder joined = new StringBuilder();
        for (Chunk c : chunks) {
            joined.append(c.text());
        }
        assertThat(joined.toString().replace(" ", "")).isEqualTo(text.replace(" ", ""));
    }

    @Test
    void overlappingWindowsOfMultiByteTextStayInOrderAndCoverTheText() {
        String text = "日本語のテキスト😀も正しく分割される。Ça marche très bien, n'est-ce pas ? e\u0301\u0301";
        List<Chunk> chunks = TokenSplitter.of(4, 2).split(new Document("d", text));

        assertExactSlices(text, chunks);
        assertThat(chunks.getFirst().start()).isZero();
        assertThat(chunks.getLast().end()).isEqualTo(text.length());
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).start()).isGreaterThanOrEqualTo(chunks.get(i - 1).start());
            assertThat(chunks.get(i).start()).isLessThanOrEqualTo(chunks.get(i - 1).end()); // no gap
        }
    }

    @Test
    void loneSurrogatesDoNotBreakOffsets() {
        String text = "ab\uD800cd \uDC00 ef😀gh";
        List<Chunk> chunks = TokenSplitter.of(2, 1).split(new Document("d", text));
        assertExactSlices(text, chunks);
        assertThat(chunks.getLast().end()).isEqualTo(text.length());
    }

    @Test
    void whitespaceOnlyTextGivesNoChunks() {
        assertThat(TokenSplitter.of(5, 0).split(new Document("d", " \n\t\u00A0\u3000 "))).isEmpty();
        assertThat(TokenSplitter.of(5, 0).split(new Document("d", ""))).isEmpty();
    }

    @Test
    void stripWhitespaceTrimsChunksAndTheirOffsets() {
        String text = "  alpha beta\n\n gamma delta  ";
        List<Chunk> chunks = TokenSplitter.builder().chunkSize(3).chunkOverlap(0).stripWhitespace(true).build()
                .split(new Document("d", text));
        assertExactSlices(text, chunks);
        assertThat(chunks).allMatch(c -> c.text().equals(c.text().strip()) && !c.text().isEmpty());
    }

    @Test
    void chunksCarryDocumentIdMetadataAndConsecutiveIndexes() {
        Document doc = new Document("doc-7", "one two three four five six seven", java.util.Map.of("lang", "en"));
        List<Chunk> chunks = TokenSplitter.of(2, 0).split(doc);
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).index()).isEqualTo(i);
            assertThat(chunks.get(i).documentId()).isEqualTo("doc-7");
            assertThat(chunks.get(i).metadata()).containsEntry("lang", "en");
        }
    }

    @Test
    void unknownEncodingIsRejectedListingValidNames() {
        assertThatThrownBy(() -> TokenSplitter.builder().encoding("gpt2").build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("encoding = \"gpt2\"")
                .hasMessageContaining("cl100k_base");
    }

    @Test
    void zeroSizeIsRejected() {
        assertThatThrownBy(() -> TokenSplitter.of(0, 0))
                .isInstanceOf(ValidationException.class)
                .hasMessage("chunkSize = 0: must be at least 1");
    }

    @Test
    void overlapNotSmallerThanSizeIsRejected() {
        assertThatThrownBy(() -> TokenSplitter.of(10, 10))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("chunkOverlap = 10")
                .hasMessageContaining("less than chunkSize (10)");
        assertThatThrownBy(() -> TokenSplitter.of(10, -1))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("chunkOverlap = -1");
    }

    @Test
    void defaultsAreDocumented() {
        TokenSplitter splitter = TokenSplitter.builder().build();
        assertThat(splitter.encodingName()).isEqualTo("cl100k_base");
        assertThat(splitter.chunkSize()).isEqualTo(4000);
        assertThat(splitter.chunkOverlap()).isEqualTo(200);
        assertThat(splitter.stripWhitespace()).isFalse();
    }
}
