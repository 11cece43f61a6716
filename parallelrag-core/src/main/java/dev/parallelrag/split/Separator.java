package dev.parallelrag.split;

import dev.parallelrag.error.ValidationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One separator of a separator-based splitter, compiled once: the empty separator (split into code
 * points, as Python's {@code list(text)}), a literal searched with {@link String#indexOf}, or a regular
 * expression. A regex without metacharacters is searched as a literal: same matches, no regex engine.
 *
 * <p>Splitting follows Python's {@code re.split}: matches are found left to right without overlap,
 * and the text between them (plus, with {@link KeepSeparator#START}/{@link KeepSeparator#END}, the
 * match itself) forms the pieces; empty pieces are dropped, as LangChain does. Pieces are offsets
 * into the source, never copies. Immutable and thread-safe.
 */
sealed interface Separator permits Separator.EachCodePoint, Separator.Literal, Separator.Regex {

    /** The separator as the user gave it. */
    String source();

    /** Whether the separator occurs in {@code text[from, to)} (Python's {@code re.search} on that slice). */
    boolean occursIn(String text, int from, int to);

    /** Adds the non-empty pieces of {@code text[from, to)} to {@code out}, in order. */
    void split(String text, int from, int to, KeepSeparator keep, SpanList out);

    /** Compiles a separator; {@code field} names it in validation errors. */
    static Separator of(String field, String separator, boolean regex) {
        if (separator == null) {
            throw new ValidationException(field, null, "must not be null (use \"\" to split between code points)");
        }
        if (!isWellFormed(separator)) {
            throw new ValidationException(field, separator, "contains an unpaired surrogate; use well-formed Unicode text");
        }
        if (separator.isEmpty()) {
            return new EachCodePoint();
        }
        if (!regex || !hasRegexMetacharacter(separator)) {
            return new Literal(separator);
        }
        try {
            // Python 3 str patterns are Unicode-aware (\s, \w, \b, \d); Java needs the flag for the same.
            return new Regex(separator, Pattern.compile(separator, Pattern.UNICODE_CHARACTER_CLASS));
        } catch (PatternSyntaxException e) {
            throw new ValidationException(field, separator,
                    "is not a valid regular expression (" + e.getDescription() + " near index " + e.getIndex()
                            + "); fix the pattern or drop the regex option to match it literally");
        }
    }

    private static boolean hasRegexMetacharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("\\^$.|?*+()[]{}".indexOf(s.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Adds the pieces for one match {@code [mStart, mEnd)} after the previous cut; returns the new cut. */
    private static int cutAt(int previous, int mStart, int mEnd, KeepSeparator keep, SpanList out) {
        return switch (keep) {
            case NONE -> {
                out.addNonEmpty(previous, mStart);
                yield mEnd;
            }
            case START -> {
                out.addNonEmpty(previous, mStart);
                yield mStart;
            }
            case END -> {
                out.addNonEmpty(previous, mEnd);
                yield mEnd;
            }
        };
    }

    /** The empty separator: every code point is a piece. */
    record EachCodePoint() implements Separator {
        @Override
        public String source() {
            return "";
        }

        @Override
        public boolean occursIn(String text, int from, int to) {
            return true;
        }

        @Override
        public void split(String text, int from, int to, KeepSeparator keep, SpanList out) {
            int i = from;
            while (i < to) {
                int next = i + 1;
                if (next < to && Character.isHighSurrogate(text.charAt(i)) && Character.isLowSurrogate(text.charAt(next))) {
                    next++;
                }
                out.add(i, next);
                i = next;
            }
        }
    }

    /** A literal separator. */
    record Literal(String source) implements Separator {
        @Override
        public boolean occursIn(String text, int from, int to) {
            return text.indexOf(source, from, to) >= 0;
        }

        @Override
        public void split(String text, int from, int to, KeepSeparator keep, SpanList out) {
            int width = source.length();
            if (width == 1) {
                splitOnChar(text, from, to, source.charAt(0), keep, out);
                return;
            }
            int cut = from;
            int at = text.indexOf(source, from, to);
            while (at >= 0) {
                cut = cutAt(cut, at, at + width, keep, out);
                at = text.indexOf(source, at + width, to);
            }
            out.addNonEmpty(cut, to);
        }
    }

    /**
     * The common one-char separator (space, newline): a plain scan beats an {@code indexOf} call per
     * word, since pieces are short.
     */
    private static void splitOnChar(String text, int from, int to, char c, KeepSeparator keep, SpanList out) {
        int cut = from;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                switch (keep) {
                    case NONE -> {
                        out.addNonEmpty(cut, i);
                        cut = i + 1;
                    }
                    case START -> {
                        out.addNonEmpty(cut, i);
                        cut = i;
                    }
                    case END -> {
                        out.addNonEmpty(cut, i + 1);
                        cut = i + 1;
                    }
                }
            }
        }
        out.addNonEmpty(cut, to);
    }

    /** A regular expression (java.util.regex syntax, Unicode character classes). */
    record Regex(String source, Pattern pattern) implements Separator {
        @Override
        public boolean occursIn(String text, int from, int to) {
            Matcher m = pattern.matcher(text).region(from, to);
            while (m.find()) {
                if (onCodePointBoundaries(text, m)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void split(String text, int from, int to, KeepSeparator keep, SpanList out) {
            // The region hides the text outside [from, to) from anchors and lookaround, as Python's
            // re.split on the substring would.
            Matcher m = pattern.matcher(text).region(from, to);
            int cut = from;
            while (m.find()) {
                if (onCodePointBoundaries(text, m)) {
                    cut = cutAt(cut, m.start(), m.end(), keep, out);
                }
            }
            out.addNonEmpty(cut, to);
        }

        /** Java may match between the halves of a surrogate pair (Python works on code points); skip those. */
        private static boolean onCodePointBoundaries(String text, Matcher m) {
            return !insidePair(text, m.start()) && !insidePair(text, m.end());
        }

        private static boolean insidePair(String text, int i) {
            return i > 0 && i < text.length() && Character.isLowSurrogate(text.charAt(i))
                    && Character.isHighSurrogate(text.charAt(i - 1));
        }
    }
}
