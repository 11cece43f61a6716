package dev.parallelrag.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FakeContentTest {

    @Test
    void piecesConcatenateBackToTheText() {
        for (String s : new String[] {"", "  ", "Hello, world!  ", " a\nb\tc ", "naïve café 42%"}) {
            assertThat(String.join("", FakeContent.pieces(s))).isEqualTo(s);
        }
        assertThat(FakeContent.tokenCount("Hello, world!")).isEqualTo(4);
    }

    @Test
    void embeddingsAreUnitLengthDeterministicAndShareWordsWithSimilarTexts() {
        float[] a = FakeContent.embedding("the president spoke about the economy", 384);
        float[] b = FakeContent.embedding("the president spoke about the economy", 384);
        float[] c = FakeContent.embedding("The economy, said the president", 384);
        float[] d = FakeContent.embedding("zebra quantum lattice", 384);
        assertThat(a).containsExactly(b);
        assertThat(dot(a, a)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(dot(a, c)).isGreaterThan(dot(a, d) + 0.2);
        assertThat(FakeContent.embedding("", 8)).hasSize(8);
        assertThat(dot(FakeContent.embedding("...", 8), FakeContent.embedding("...", 8)))
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    static double dot(float[] x, float[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
