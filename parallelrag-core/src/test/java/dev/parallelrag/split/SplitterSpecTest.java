package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitterSpecTest {

    private static final String TEXT = "Alpha beta gamma. Delta epsilon zeta.\n\nEta theta iota kappa. Lambda mu nu xi omicron.\n"
            .repeat(20);

    @Test
    void defaultsAreRecursiveAThousandCodePointsAndTheOverlapRule() {
        SplitterSpec spec = SplitterSpec.defaults();
        assertThat(spec.kind()).isEqualTo(SplitterSpec.Kind.RECURSIVE);
        assertThat(spec.chunkSize()).isEqualTo(1000);
        assertThat(spec.chunkOverlap()).isEqualTo(200);
        assertThat(spec.separators()).isEqualTo(RecursiveSplitter.DEFAULT_SEPARATORS);
        assertThat(spec.keepSeparator()).isEqualTo(KeepSeparator.START);
        assertThat(spec.stripWhitespace()).isTrue();
        assertThat(SplitterSpec.builder(SplitterSpec.Kind.SENTENCE).chunkSize(100).build().chunkOverlap()).isEqualTo(20);
    }

    @Test
    void theTokenSplitterKeepsWhitespaceByDefaultAsLangChain() {
        SplitterSpec token = SplitterSpec.builder(SplitterSpec.Kind.TOKEN).chunkSize(50).build();
        assertThat(token.stripWhitespace()).isFalse();
        assertThat(token.encoding()).isEqualTo("cl100k_base");
        assertThat(((TokenSplitter) token.create()).stripWhitespace()).isFalse();
        assertThat(SplitterSpec.builder(SplitterSpec.Kind.SEPARATOR).build().stripWhitespace()).isTrue();
    }

    @Test
    void everySettingRoundTripsThroughTheRecordedFormAndRebuildsTheSameSplitter() {
        List<SplitterSpec> specs = List.of(
                SplitterSpec.builder(SplitterSpec.Kind.CHARACTER).chunkSize(300).chunkOverlap(30).build(),
                SplitterSpec.builder(SplitterSpec.Kind.SEPARATOR).separators(List.of("\\.\\s")).separatorRegex(true)
                        .keepSeparator(KeepSeparator.END).stripWhitespace(false).chunkSize(120).chunkOverlap(0)
                        .length(SplitterSpec.Unit.TOKENS).encoding("o200k_base").build(),
                SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE).separators(List.of("\n", " ")).keepSeparator(KeepSeparator.NONE)
                        .chunkSize(200).chunkOverlap(10).build(),
                SplitterSpec.builder(SplitterSpec.Kind.TOKEN).encoding("p50k_base").chunkSize(40).chunkOverlap(5)
                        .stripWhitespace(true).build(),
                SplitterSpec.builder(SplitterSpec.Kind.SENTENCE).chunkSize(60).chunkOverlap(12)
                        .length(SplitterSpec.Unit.TOKENS).build());
        for (SplitterSpec spec : specs) {
            SplitterSpec read = SplitterSpec.fromMap(spec.toMap());
            assertThat(read).isEqualTo(spec);
            TextSplitter built = spec.create();
            assertThat(read.create().toString()).isEqualTo(built.toString());
            assertThat(read.create().splitText(TEXT)).isEqualTo(built.splitText(TEXT));
            assertThat(SplitterSpec.of(built)).contains(spec);
        }
    }

    @Test
    void everySettingReachesTheSplitter() {
        SplitterSpec.Builder[][] pairs = {
            {SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE).chunkSize(300), SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE)},
            {SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE).chunkOverlap(7), SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE)},
            {SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE).separators(List.of("\n")), SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE)},
            {SplitterSpec.builder(SplitterSpec.Kind.SEPARATOR).separators(List.of("\\s")).separatorRegex(true),
                SplitterSpec.builder(SplitterSpec.Kind.SEPARATOR).separators(List.of("\\s"))},
            {SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE).keepSeparator(KeepSeparator.END), SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE)},
            {SplitterSpec.builder(SplitterSpec.Kind.SEPARATOR).stripWhitespace(false), SplitterSpec.builder(SplitterSpec.Kind.SEPARATOR)},
            {SplitterSpec.builder(SplitterSpec.Kind.SENTENCE).length(SplitterSpec.Unit.TOKENS), SplitterSpec.builder(SplitterSpec.Kind.SENTENCE)},
            {SplitterSpec.builder(SplitterSpec.Kind.TOKEN).encoding("r50k_base"), SplitterSpec.builder(SplitterSpec.Kind.TOKEN)},
        };
        for (SplitterSpec.Builder[] pair : pairs) {
            String with = pair[0].build().create().toString();
            assertThat(with).isNotEqualTo(pair[1].build().create().toString());
        }
    }

    @Test
    void aSplitterTheSpecCannotRebuildHasNoSpec() {
        TextSplitter own = document -> List.of();
        assertThat(SplitterSpec.of(own)).isEmpty();
        assertThat(SplitterSpec.of(SentenceSplitter.builder().longSentenceSplitter(Splitters.character(50, 0)).build())).isEmpty();
        assertThat(SplitterSpec.of(Splitters.sentence(500, 50))).isPresent();
    }

    @Test
    void aSettingTheKindWouldIgnoreIsAnError() {
        assertThatThrownBy(() -> SplitterSpec.builder(SplitterSpec.Kind.TOKEN).separators(List.of("\n")).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("separators").hasMessageContaining("not token");
        assertThatThrownBy(() -> SplitterSpec.builder(SplitterSpec.Kind.CHARACTER).length(SplitterSpec.Unit.TOKENS).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("length");
        assertThatThrownBy(() -> SplitterSpec.builder(SplitterSpec.Kind.SENTENCE).stripWhitespace(false).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("stripWhitespace");
        assertThatThrownBy(() -> SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE).encoding("o200k_base").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("encoding");
        assertThatThrownBy(() -> SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE).chunkSize(10).chunkOverlap(11).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("chunkOverlap");
    }

    @Test
    void aFingerprintIsRecognizedOnlyWhenItRebuildsExactly() {
        SplitterSpec token = SplitterSpec.builder(SplitterSpec.Kind.TOKEN).chunkSize(300).chunkOverlap(30).stripWhitespace(true).build();
        assertThat(SplitterSpec.recognize(token.create().toString())).contains(token);
        assertThat(SplitterSpec.recognize(SplitterSpec.defaults().create().toString())).contains(SplitterSpec.defaults());
        SplitterSpec sentence = SplitterSpec.builder(SplitterSpec.Kind.SENTENCE).chunkSize(500).chunkOverlap(50).build();
        assertThat(SplitterSpec.recognize(sentence.create().toString())).contains(sentence);
        // other separators than the default: the fingerprint cannot be rebuilt from size and overlap alone
        String custom = SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE).separators(List.of("\n")).build().create().toString();
        assertThat(SplitterSpec.recognize(custom)).isEmpty();
        assertThat(SplitterSpec.recognize("MySplitter[chunkSize=10, chunkOverlap=2]")).isEmpty();
        assertThat(SplitterSpec.recognize("")).isEmpty();
    }

    @Test
    void anUnknownRecordedKeyIsAnErrorNotIgnored() {
        Map<String, String> map = new HashMap<>(SplitterSpec.defaults().toMap());
        map.put("language", "rust");
        assertThatThrownBy(() -> SplitterSpec.fromMap(map)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("splitter.language").hasMessageContaining("re-ingest");
    }
}
