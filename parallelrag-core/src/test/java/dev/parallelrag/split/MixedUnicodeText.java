package dev.parallelrag.split;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random text for splitter properties: words, sentence punctuation and abbreviations, digits, emoji
 * (including ZWJ sequences and flags), CJK with CJK sentence ends, combining marks, every kind of
 * Unicode whitespace, and arbitrary valid code points from all planes.
 */
final class MixedUnicodeText {

    /** Every code point that Java, Python or Unicode (White_Space) treat as whitespace. */
    static final List<String> WHITESPACE = List.of(" ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "\u000B", "\f",
            "\u001C", "\u001D", "\u001E", "\u001F", "\u0085", "\u00A0", "\u1680", "\u2000", "\u2001", "\u2002",
            "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200A", "\u2028", "\u2029",
            "\u202F", "\u205F", "\u3000");

    private static final List<String> PIECES = List.of("My", "name", "is", "Chunky.", "And", "this", "sentence.",
            "Dr.", "e.g.", "U.S.", "3.5", "...", "…", "\"Stop.\"", "“Quoted!”", "(aside)", "Why?", "Yes!", "i.e.",
            "東京は大きい。", "本当？", "すごい！", "中文句子。", "한국어", "😀", "🦜🧬", "👩‍👩‍👧‍👦", "🇯🇵", "e\u0301", "a\u0308\u0323",
            "ñ", "Ω", "Привет.", "مرحبا", "x", "a-b", "—", "12,345.67", "<|endoftext|>");

    private MixedUnicodeText() {
    }

    static Arbitrary<String> texts() {
        Arbitrary<String> piece = Arbitraries.of(PIECES);
        Arbitrary<String> space = Arbitraries.of(WHITESPACE);
        Arbitrary<String> anyCodePoint = Arbitraries.integers().between(1, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .map(Character::toString);
        Arbitrary<String> combining = Arbitraries.integers().between(0x0300, 0x036F).map(Character::toString);
        Arbitrary<String> letters = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> fragment = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, piece), net.jqwik.api.Tuple.of(8, space), net.jqwik.api.Tuple.of(5, letters),
                net.jqwik.api.Tuple.of(2, anyCodePoint), net.jqwik.api.Tuple.of(1, combining));
        return fragment.list().ofMaxSize(70).map(parts -> String.join("", parts));
    }
}
