package dev.parallelrag.split;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.text.FilteredBreakIteratorBuilder;
import com.ibm.icu.util.ULocale;
import dev.parallelrag.Internal;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds sentences with ICU4J's Unicode (UAX #29) sentence rules, with ICU's English abbreviation
 * suppressions ({@code en@ss=standard}: "Mr.", "e.g.", "Ph.D.", ...) plus titles that almost always come
 * before a name ("Dr.", "Prof.", "Gen.", ...). Decimals ("3.5"), ellipses and closing quotes are handled
 * by the UAX #29 rules; CJK full stops and marks (。！？) end sentences without a following space. A
 * segment starting with a lower-case letter on the same line continues the previous sentence
 * ("“Go now!” she said." stays whole).
 *
 * <p>Known limit of any rule-based segmenter: an abbreviation followed by a capitalised word, such as
 * "the U.S. Army", is read as a sentence end, because "... in the U.S. He said" looks the same.
 * Lower-case continuations ("the U.S. economy", "e.g. hammers") are kept together.
 *
 * <p>Thread-safe: each call works on its own clone of a prebuilt iterator. Public for the extractive answer
 * ({@code dev.parallelrag.pipeline.Rag}), which quotes sentences as this splitter cuts them.
 */
@Internal
public final class SentenceSegmenter {

    /** Titles that end with a period but virtually never end a sentence. */
    static final List<String> TITLES = List.of("Dr.", "Prof.", "Gen.", "Gov.", "Sen.", "Rep.", "Rev.", "Lt.", "Col.",
            "Capt.", "Sgt.", "Hon.", "Messrs.", "Mmes.", "Fr.", "Pres.", "Supt.", "Cmdr.", "Adm.", "vs.");

    private static final BreakIterator PROTOTYPE = build();

    private SentenceSegmenter() {
    }

    private static BreakIterator build() {
        ULocale locale = new ULocale("en@ss=standard");
        FilteredBreakIteratorBuilder builder = FilteredBreakIteratorBuilder.getInstance(locale);
        TITLES.forEach(builder::suppressBreakAfter);
        return builder.wrapIteratorWithFilter(BreakIterator.getSentenceInstance(locale));
    }

    /**
     * UAX #29 lets only a period continue into a lower-case word ("e.g. hammers"); after '!' or '?' it
     * always breaks, which splits "“Go now!” she said." in two. A segment that starts with a lower-case
     * letter on the same line is therefore joined to the previous one.
     */
    private static boolean continuesPrevious(String text, int previousEnd, int start) {
        if (!Character.isLowerCase(text.codePointAt(start))) {
            return false;
        }
        for (int i = previousEnd; i < start; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                return false;
            }
        }
        return true;
    }

    private static BreakIterator newIterator() {
        synchronized (PROTOTYPE) {
            return (BreakIterator) PROTOTYPE.clone();
        }
    }

    /**
     * The sentences of {@code text} as {@code [start, end)} UTF-16 spans, in order, each trimmed of
     * surrounding whitespace; whitespace-only segments are left out.
     */
    public static List<TextSpan> spans(String text) {
        return sentences(text).stream().map(s -> new TextSpan(s[0], s[1])).toList();
    }

    /** As {@link #spans}, as {@code {start, end}} pairs. */
    static List<int[]> sentences(String text) {
        List<int[]> spans = new ArrayList<>();
        BreakIterator it = newIterator();
        it.setText(text);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            int s = Slices.skipWhitespaceForward(text, start, end);
            int e = Slices.skipWhitespaceBackward(text, s, end);
            if (s >= e) {
                continue;
            }
            int[] previous = spans.isEmpty() ? null : spans.getLast();
            if (previous != null && continuesPrevious(text, previous[1], s)) {
                previous[1] = e;
            } else {
                spans.add(new int[] {s, e});
            }
        }
        return spans;
    }
}
