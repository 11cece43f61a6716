package dev.parallelrag.split;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodePointCursorTest {

    @Test
    void matchesCodePointCountForOffsetsVisitedInAnyOrder() {
        String text = "a🦜b東京 e\u0301 👩‍👩‍👧 x".repeat(50);
        List<Integer> boundaries = new ArrayList<>();
        for (int i = 0; i <= text.length(); i = i < text.length() ? text.offsetByCodePoints(i, 1) : i + 1) {
            boundaries.add(i);
        }
        CodePointCursor cursor = new CodePointCursor(text);
        Random random = new Random(7);
        for (int k = 0; k < 2_000; k++) {
            int offset = boundaries.get(random.nextInt(boundaries.size()));
            assertThat(cursor.toCodePoints(offset)).isEqualTo(text.codePointCount(0, offset));
        }
    }

    @Test
    void countsOfAdjacentRangesAddUp() {
        String text = "🦜🦜x";
        assertThat(CodePointCursor.count(text)).isEqualTo(3);
        assertThat(CodePointCursor.count(text.substring(0, 2)) + CodePointCursor.count(text.substring(2))).isEqualTo(3);
        // an offset inside a pair maps past the pair, keeping the mapping monotone
        CodePointCursor cursor = new CodePointCursor(text);
        assertThat(cursor.toCodePoints(1)).isEqualTo(1);
        assertThat(cursor.toCodePoints(2)).isEqualTo(1);
        assertThat(cursor.toCodePoints(0)).isEqualTo(0);
    }
}
