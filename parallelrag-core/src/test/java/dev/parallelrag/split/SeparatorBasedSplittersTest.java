package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link RecursiveSplitter}, {@link SeparatorSplitter} and {@link CharacterSplitter} beyond the golden file. */
class SeparatorBasedSplittersTest {

    private static final List<TextSplitter> ALL = List.of(
            CharacterSplitter.of(5, 1),
            SeparatorSplitter.builder().separator(" ").chunkSize(5).chunkOverlap(1).stripWhitespace(false).build(),
            RecursiveSplitter.builder().chunkSize(5).chunkOverlap(1).stripWhitespace(false).build());

    @Test
    void emptyAndWhitespaceOnlyTextGiveNoChunksEvenWithoutStripping() {
        for (TextSplitter splitter : ALL) {
            for (String text : List.of("", " ", "\n\n\t", "\u00A0\u2028\u3000 \r\n")) {
                assertThat(splitter.split(new Document("d", text))).as("%s on %s", splitter, Splitters.quote(text)).isEmpty();
            }
        }
    }

    @Test
    void chunksCarryDocumentIdMetadataAndConsecutiveIndexes() {
        Document doc = new Document("doc-7", "alpha beta gamma delta", Map.of("lang", "en"));
        for (TextSplitter splitter : ALL) {
            List<Chunk> chunks = splitter.split(doc);
            assertThat(chunks).isNotEmpty();
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(chunks.get(i).documentId()).isEqualTo("doc-7");
                assertThat(chunks.get(i).metadata()).containsEntry("lang", "en");
                assertThat(chunks.get(i).index()).isEqualTo(i);
            }
        }
    }

    @Test
    void stripRemovesEveryKindOfWhitespacePythonStrips() {
        String text = "\u00A0\u3000alpha\u2028\u00A0\n\nbeta\u2003";
        List<Chunk> chunks = SeparatorSplitter.builder().chunkSize(5).chunkOverlap(0).build().split(new Document("d", text));

        assertThat(chunks).extracting(Chunk::text).containsExactly("alpha", "beta");
        assertThat(chunks.get(0).start()).isEqualTo(2);
    }

    @Test
    void markdownPresetCutsAtHeadingsAndCodeFences() {
        String md = "# Title\n\nIntro text here.\n## Part A\nalpha beta gamma\n## Part B\ndelta epsilon\n```\ncode block\n```\nafter";

        assertThat(Splitters.recursive(Language.MARKDOWN, 40, 0).splitText(md)).containsExactly(
                "# Title\n\nIntro text here.",
                "## Part A\nalpha beta gamma",
                "## Part B\ndelta epsilon\n```\ncode block",
                "```\nafter");
    }

    @Test
    void pythonPresetCutsAtClassesThenFunctions() {
        String py = "import os\n\nclass A:\n    def f(self):\n        return 1\n\ndef g():\n    return 2\n";

        assertThat(Splitters.recursive(Language.PYTHON, 40, 0).splitText(py)).containsExactly(
                "import os", "class A:\n    def f(self):", "return 1", "def g():\n    return 2");
    }

    @Test
    void javaPresetCutsAtMembers() {
        String java = "package x;\n\npublic class A {\n  private int x;\n\n  public int get() {\n    return x;\n  }\n}\n";

        List<String> chunks = Splitters.recursive(Language.JAVA, 40, 0).splitText(java);

        assertThat(chunks).first().isEqualTo("package x;");
        assertThat(chunks).contains("public class A {\n  private int x;");
        assertThat(RecursiveSplitter.forLanguage(Language.JAVA).chunkSize(40).chunkOverlap(0).build().separatorRegex()).isTrue();
    }

    @Test
    void tokenLengthPacksUpToTheTokenBudgetWithWholeWordOverlap() {
        LengthFunction tokens = LengthFunction.tokens("cl100k_base");
        String text = "The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs.";

        List<String> chunks = Splitters.recursive(8, 2, tokens).splitText(text);

        assertThat(chunks).containsExactly("The quick brown fox jumps over the lazy",
                "the lazy dog. Pack my box with", "box with five dozen liquor jugs.");
        assertThat(chunks).allSatisfy(c -> assertThat(tokens.length(c)).isLessThanOrEqualTo(8));
    }

    @Test
    void spansOfARangeAreOffsetsIntoTheWholeText() {
        String text = "xxxxx one two three four yyyyy";

        List<TextSpan> spans = RecursiveSplitter.of(10, 0).spans(text, 6, 24);

        assertThat(spans).extracting(s -> s.text(text)).containsExactly("one two", "three", "four");
        assertThat(spans.get(0).start()).isEqualTo(6);
    }

    @Test
    void zeroWidthRegexNeverCutsASurrogatePair() {
        SeparatorSplitter splitter = SeparatorSplitter.builder().separator("(?=)").separatorRegex(true)
                .chunkSize(1).chunkOverlap(0).build();

        assertThat(splitter.splitText("a😀b")).containsExactly("a", "😀", "b");
    }

    @Test
    void emojiCountsAsOneCodePoint() {
        assertThat(Splitters.recursive(3, 0).splitText("😀😀😀 😀😀")).containsExactly("😀😀😀", "😀😀");
        assertThat(Splitters.character(3, 0).splitText("😀😀😀😀😀")).containsExactly("😀😀😀", "😀😀");
    }

    @Test
    void keepSeparatorDecidesWhereTheSeparatorGoes() {
        String text = "one.two.three";
        SeparatorSplitter.Builder b = SeparatorSplitter.builder().separator(".").chunkSize(4).chunkOverlap(0);

        assertThat(b.keepSeparator(KeepSeparator.NONE).build().splitText(text)).containsExactly("one", "two", "three");
        assertThat(b.keepSeparator(KeepSeparator.START).build().splitText(text)).containsExactly("one", ".two", ".three");
        assertThat(b.keepSeparator(KeepSeparator.END).build().splitText(text)).containsExactly("one.", "two.", "three");
    }

    @Test
    void consumingRegexWithKeepNoneKeepsTheMatchedTextNotThePattern() {
        SeparatorSplitter splitter = SeparatorSplitter.builder().separator("\\s+").separatorRegex(true).chunkSize(6).chunkOverlap(0).build();

        assertThat(splitter.splitText("a \t b\n\nc dd eee")).containsExactly("a \t b", "c dd", "eee");
    }

    @Test
    void toStringShowsSettingsReadably() {
        assertThat(Splitters.recursive(500, 50).toString())
                .isEqualTo("RecursiveSplitter[separators=[\"\\n\\n\", \"\\n\", \" \", \"\"], regex=false, keepSeparator=START,"
                        + " stripWhitespace=true, chunkSize=500, chunkOverlap=50, length=code points]");
    }
}
