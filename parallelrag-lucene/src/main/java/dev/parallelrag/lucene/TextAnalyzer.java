package dev.parallelrag.lucene;

import dev.parallelrag.error.ValidationException;
import java.util.Arrays;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

/**
 * How chunk text is tokenised for BM25. The choice is recorded in the index: BM25 needs the same
 * analysis at index and query time, so an index cannot be reopened with another analyzer.
 */
public enum TextAnalyzer {
    /** Unicode word breaks, lower-casing, English stop words, possessive removal and Porter stemming. */
    ENGLISH,
    /** Unicode word breaks and lower-casing only; language neutral. */
    STANDARD;

    /** A new analyzer instance (analyzers are thread-safe; one per store is enough). */
    public Analyzer create() {
        return switch (this) {
            case ENGLISH -> new EnglishAnalyzer();
            case STANDARD -> new StandardAnalyzer();
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TextAnalyzer parse(String name) {
        for (TextAnalyzer a : values()) {
            if (a.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return a;
            }
        }
        throw new ValidationException("lucene.analyzer", name,
                "must be one of " + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
}
