package dev.parallelrag.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Splits a long token sequence into windows the model can take. Consecutive windows share
 * {@code overlap} tokens, and a window edge is moved back to the start of a word (never between
 * {@code ##} pieces) unless a single word is longer than a window. Every token is in at least one window.
 */
final class TokenWindows {

    /** Half-open token range {@code [start, end)} of one window. */
    record Window(int start, int end) {
        int length() {
            return end - start;
        }
    }

    private TokenWindows() {
    }

    static List<Window> plan(int[] ids, int windowTokens, int overlap, IntPredicate isContinuation) {
        int n = ids.length;
        List<Window> windows = new ArrayList<>(Math.max(1, n / Math.max(1, windowTokens - overlap) + 1));
        if (n <= windowTokens) {
            windows.add(new Window(0, n));
            return windows;
        }
        int start = 0;
        while (true) {
            int end = Math.min(start + windowTokens, n);
            if (end < n) {
                int e = end;
                while (e > start + 1 && isContinuation.test(ids[e])) {
                    e--;
                }
                // a word longer than the whole window is cut where the window ends
                end = e > start + 1 ? e : end;
            }
            windows.add(new Window(start, end));
            if (end == n) {
                return windows;
            }
            int next = end - overlap;
            while (next > start + 1 && isContinuation.test(ids[next])) {
                next--;
            }
            start = next > start ? next : end;
        }
    }
}
