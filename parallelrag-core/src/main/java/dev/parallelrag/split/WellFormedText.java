package dev.parallelrag.split;

/**
 * Java strings may hold lone surrogates, which are not Unicode text: jtokkit rejects them (with assertions
 * on) or encodes them as invalid bytes. Before tokenizing, each lone surrogate is replaced by U+FFFD.
 * Both are one UTF-16 unit, so offsets into the result are offsets into the original.
 */
final class WellFormedText {

    private WellFormedText() {
    }

    static String of(CharSequence text) {
        String s = text.toString();
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return replaceLoneSurrogates(s, i);
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s, int from) {
        char[] chars = s.toCharArray();
        for (int i = from; i < chars.length; i++) {
            char c = chars[i];
            if (Character.isHighSurrogate(c) && i + 1 < chars.length && Character.isLowSurrogate(chars[i + 1])) {
                i++; // a valid pair
            } else if (Character.isSurrogate(c)) {
                chars[i] = '\uFFFD';
            }
        }
        return new String(chars);
    }
}
