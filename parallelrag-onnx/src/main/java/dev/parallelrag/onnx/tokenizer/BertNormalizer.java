package dev.parallelrag.onnx.tokenizer;

import java.text.Normalizer;
import java.util.Locale;

/**
 * HuggingFace's {@code BertNormalizer}, step for step and in the same order: drop NUL, U+FFFD and
 * control characters and map whitespace to a space ({@code clean_text}); put spaces around CJK
 * ideographs ({@code handle_chinese_chars}); NFD then drop non-spacing marks ({@code strip_accents});
 * lowercase one code point at a time ({@code lowercase}).
 */
record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {

    String normalize(String text) {
        String s = text;
        if (cleanText || handleChineseChars) {
            s = cleanAndPad(s);
        }
        if (stripAccents) {
            s = stripAccents(s);
        }
        if (lowercase) {
            s = lowercase(s);
        }
        return s;
    }

    private String cleanAndPad(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cleanText) {
                if (cp == 0 || cp == 0xFFFD || CharClasses.isControl(cp)) {
                    continue;
                }
                if (CharClasses.isWhitespace(cp)) {
                    out.append(' ');
                    continue;
                }
            }
            if (handleChineseChars && CharClasses.isCjk(cp)) {
                out.append(' ').appendCodePoint(cp).append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    private static String stripAccents(String s) {
        if (isAscii(s)) {
            return s;
        }
        String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        for (int i = 0; i < nfd.length(); ) {
            int cp = nfd.codePointAt(i);
            i += Character.charCount(cp);
            if (!CharClasses.isNonSpacingMark(cp)) {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /** Per code point, like Rust's {@code char::to_lowercase}: no context rules such as Greek final sigma. */
    private static String lowercase(String s) {
        if (isAscii(s)) {
            return s.toLowerCase(Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp < 0x80) {
                out.append((char) Character.toLowerCase(cp));
            } else {
                out.append(s.substring(i, i + n).toLowerCase(Locale.ROOT));
            }
            i += n;
        }
        return out.toString();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
