package dev.parallelrag.onnx.tokenizer;

import java.util.Map;
import java.util.function.IntConsumer;

/** Greedy longest-match-first WordPiece over one pre-tokenized word; a word with no full match is one unknown token. */
final class WordPiece {

    private final Map<String, Integer> vocab;
    private final int unkId;
    private final String continuingPrefix;
    private final int maxInputCharsPerWord;

    WordPiece(Map<String, Integer> vocab, int unkId, String continuingPrefix, int maxInputCharsPerWord) {
        this.vocab = vocab;
        this.unkId = unkId;
        this.continuingPrefix = continuingPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    void tokenize(String word, IntConsumer ids) {
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            ids.accept(unkId);
            return;
        }
        Integer whole = vocab.get(word);
        if (whole != null) {
            ids.accept(whole);
            return;
        }
        int[] pieces = new int[word.length()];
        int count = 0;
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer match = null;
            while (start < end) {
                String sub = word.substring(start, end);
                match = vocab.get(start > 0 ? continuingPrefix + sub : sub);
                if (match != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (match == null) {
                ids.accept(unkId);
                return;
            }
            pieces[count++] = match;
            start = end;
        }
        for (int i = 0; i < count; i++) {
            ids.accept(pieces[i]);
        }
    }
}
