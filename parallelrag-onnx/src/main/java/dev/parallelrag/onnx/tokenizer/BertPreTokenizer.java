package dev.parallelrag.onnx.tokenizer;

import java.util.function.Consumer;

/** HuggingFace's {@code BertPreTokenizer}: split on whitespace, and make every punctuation character its own word. */
final class BertPreTokenizer {

    private BertPreTokenizer() {
    }

    static void forEachWord(String normalized, Consumer<String> words) {
        int wordStart = -1;
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (CharClasses.isWhitespace(cp)) {
                if (wordStart >= 0) {
                    words.accept(normalized.substring(wordStart, i));
                    wordStart = -1;
                }
            } else if (CharClasses.isPunctuation(cp)) {
                if (wordStart >= 0) {
                    words.accept(normalized.substring(wordStart, i));
                    wordStart = -1;
                }
                words.accept(normalized.substring(i, next));
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i = next;
        }
        if (wordStart >= 0) {
            words.accept(normalized.substring(wordStart));
        }
    }
}
