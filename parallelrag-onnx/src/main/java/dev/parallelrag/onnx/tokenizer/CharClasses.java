package dev.parallelrag.onnx.tokenizer;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.util.VersionInfo;
import java.util.Map;

/**
 * Character classes exactly as HuggingFace tokenizers define them for BERT. HuggingFace classifies
 * control, punctuation and accent characters with Unicode 8.0 category tables (the Rust
 * {@code unicode_categories} crate), while the JDK knows a much newer Unicode: a character assigned after
 * 8.0 is therefore treated as unassigned (an ordinary letter that ends up as {@code [UNK]}), and the few
 * characters whose category changed since 8.0 keep their old one. The parity test checks every assigned
 * code point against HuggingFace.
 */
final class CharClasses {

    private static final VersionInfo UNICODE_8 = VersionInfo.getInstance(8, 0);

    /** Characters whose general category changed after Unicode 8.0, with their 8.0 category. */
    private static final Map<Integer, Integer> UNICODE_8_CATEGORY = Map.of(
            0x166D, (int) Character.OTHER_PUNCTUATION,    // CANADIAN SYLLABICS CHI SIGN, So since Unicode 12
            0x1734, (int) Character.NON_SPACING_MARK,     // HANUNOO SIGN PAMUDPOD, Mc since Unicode 14
            0x1885, (int) Character.OTHER_LETTER,         // MONGOLIAN LETTER ALI GALI BALUDA, Mn since Unicode 9
            0x1886, (int) Character.OTHER_LETTER,         // MONGOLIAN LETTER ALI GALI THREE BALUDA, Mn since Unicode 9
            0xA9BD, (int) Character.COMBINING_SPACING_MARK, // JAVANESE CONSONANT SIGN KERET, Mn since Unicode 12
            0x111C9, (int) Character.OTHER_PUNCTUATION,   // SHARADA SANDHI MARK, Mn since Unicode 11
            0x1171E, (int) Character.NON_SPACING_MARK);   // AHOM CONSONANT SIGN MEDIAL RA, Mc since Unicode 14

    private CharClasses() {
    }

    /** The general category as of Unicode 8.0 ({@link Character#UNASSIGNED} for characters added later). */
    static int type(int cp) {
        if (cp < 0x80) {
            return Character.getType(cp);
        }
        if (UCharacter.getAge(cp).compareTo(UNICODE_8) > 0) {
            return Character.UNASSIGNED;
        }
        Integer old = UNICODE_8_CATEGORY.get(cp);
        return old != null ? old : Character.getType(cp);
    }

    /** Tab, newline and carriage return count as whitespace, not control; otherwise Unicode categories C*. */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        // HuggingFace's is_other(): Cc, Cf, Cs, Co, not Cn
        int type = type(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE;
    }

    /** Unicode White_Space (Rust {@code char::is_whitespace}); Java's own isWhitespace differs on NBSP and others. */
    static boolean isWhitespace(int cp) {
        return switch (cp) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** ASCII punctuation (which includes symbols like $ + < = > ^ ` | ~) or any Unicode P* category. */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (type(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** A non-spacing mark (Mn), removed when accents are stripped. */
    static boolean isNonSpacingMark(int cp) {
        return type(cp) == Character.NON_SPACING_MARK;
    }

    /** The CJK Unified Ideograph blocks BERT splits into single characters. */
    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
