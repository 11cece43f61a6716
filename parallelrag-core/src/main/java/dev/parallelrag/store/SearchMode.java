package dev.parallelrag.store;

import dev.parallelrag.error.ValidationException;
import java.util.Arrays;
import java.util.Locale;

/** How a {@link HybridSearchable} store ranks chunks. */
public enum SearchMode {
    /** Vector kNN and BM25 keyword results fused with reciprocal rank fusion. */
    HYBRID,
    /** Vector kNN only (cosine similarity). */
    VECTOR,
    /** BM25 over the chunk text only. */
    KEYWORD;

    /** Parses {@code hybrid|vector|keyword}, case-insensitively. */
    public static SearchMode parse(String name) {
        if (name != null) {
            for (SearchMode m : values()) {
                if (m.name().equalsIgnoreCase(name.trim())) {
                    return m;
                }
            }
        }
        throw new ValidationException("search.mode", name, "must be one of "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }

    /** The lower-case name used on the command line. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
