package dev.parallelrag.stress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Deterministic made-up English-like text for the fault and stress tests: words of two or three syllables, so a
 * corpus of thousands of documents needs no file from outside the repository and every seed gives the same bytes.
 * Not thread-safe.
 */
public final class GeneratedText {

    private static final String[] SYLLABLES = {"ba", "ko", "ri", "tem", "lo", "vus", "ner", "sa", "di", "mon", "ex",
        "ul", "pra", "ti", "gor", "shen", "va", "lim", "du", "or", "fe", "qua", "zin", "het"};

    private final SplittableRandom random;

    public GeneratedText(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A word of two or three syllables (24^2 + 24^3 possible words). */
    public String word() {
        StringBuilder w = new StringBuilder();
        int syllables = 2 + random.nextInt(2);
        for (int i = 0; i < syllables; i++) {
            w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        return w.toString();
    }

    /** {@code words} words, capitalised, ending with a full stop. */
    public String sentence(int words) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < words; i++) {
            String w = word();
            s.append(i == 0 ? w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1) : " " + w);
        }
        return s.append('.').toString();
    }

    /** A document that starts with {@code title} (make it unique to make the document unique) and has paragraphs of sentences. */
    public String document(String title, int sentences) {
        StringBuilder d = new StringBuilder(title).append("\n\n");
        for (int i = 0; i < sentences; i++) {
            d.append(sentence(6 + random.nextInt(10)));
            d.append(i % 4 == 3 ? "\n\n" : " ");
        }
        return d.toString().strip() + "\n";
    }

    /**
     * Writes {@code count} documents {@code doc-0000.txt}... into {@code folder}, each titled with its number and
     * holding {@code minSentences} to {@code maxSentences} sentences; returns the folder.
     */
    public Path writeCorpus(Path folder, int count, int minSentences, int maxSentences) {
        try {
            Files.createDirectories(folder);
            for (int i = 0; i < count; i++) {
                int sentences = minSentences + random.nextInt(maxSentences - minSentences + 1);
                Files.writeString(folder.resolve(fileName(i)), document("Document " + i, sentences));
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file name of document {@code i} of {@link #writeCorpus}. */
    public static String fileName(int i) {
        return String.format(Locale.ROOT, "doc-%04d.txt", i);
    }
}
