package dev.parallelrag.pgvector;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * How a chunk table turns text into lexemes: a PostgreSQL text search configuration and the stop words removed
 * after it. The store's default, {@value #LUCENE_ENGLISH}, analyses as the Lucene store's English analyzer does:
 * PostgreSQL's English (Porter2) stemmer with no stop list of its own, then Lucene's 33 English stop words. PostgreSQL's
 * {@code english} configuration drops 127 words, among them "off", "only", "after" and "against", which carry a
 * question's meaning; with it, keyword and hybrid search ranked differently from Lucene's on the retrieval test.
 *
 * @param config    the text search configuration (a validated identifier)
 * @param stopWords lexemes removed from every {@code tsvector}, as the configuration stems them (plain lowercase words)
 */
record PgTextSearch(String config, List<String> stopWords) {

    /** The configuration the store creates and uses by default. */
    static final String LUCENE_ENGLISH = "parallelrag_english";

    /** Lucene's {@code EnglishAnalyzer.ENGLISH_STOP_WORDS_SET}; the English stemmer leaves each unchanged. */
    static final List<String> LUCENE_ENGLISH_STOP_WORDS = List.of("a", "an", "and", "are", "as", "at", "be", "but", "by",
            "for", "if", "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then",
            "there", "these", "they", "this", "to", "was", "will", "with");

    PgTextSearch {
        stopWords = List.copyOf(stopWords);
        for (String w : stopWords) {
            if (!w.matches("[a-z]+")) {
                throw new IllegalArgumentException("stop word " + w + " is not a plain lowercase word");
            }
        }
    }

    /** The analysis a new table gets for {@code config}: Lucene's stop words with the store's own configuration only. */
    static PgTextSearch forNewTable(String config) {
        return new PgTextSearch(config, config.equals(LUCENE_ENGLISH) ? LUCENE_ENGLISH_STOP_WORDS : List.of());
    }

    /** As recorded in the info table ({@code text_search_stop_words}: comma-separated, empty for none). */
    static PgTextSearch recorded(String config, String stopWords) {
        return new PgTextSearch(config, stopWords == null || stopWords.isEmpty() ? List.of() : List.of(stopWords.split(",")));
    }

    String recordedStopWords() {
        return String.join(",", stopWords);
    }

    /** SQL for the {@code tsvector} of the text expression {@code text} (a column name or a bound parameter). */
    String tsvector(String text) {
        String parsed = "to_tsvector('" + config + "'::regconfig, " + text + ")";
        return stopWords.isEmpty() ? parsed : "ts_delete(" + parsed + ", '{" + String.join(",", stopWords) + "}'::text[])";
    }

    /**
     * Creates {@value #LUCENE_ENGLISH} in the current schema unless it exists, inside the caller's transaction, under
     * an advisory lock of its own: stores opening other tables at the same moment create it once between them. Other
     * configurations must exist already.
     */
    void ensure(Connection c) throws SQLException {
        if (!config.equals(LUCENE_ENGLISH)) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("select pg_advisory_xact_lock(hashtext('parallelrag:text-search-config'))");
            try (ResultSet r = s.executeQuery("select 1 from pg_ts_config where cfgname = '" + LUCENE_ENGLISH
                    + "' and cfgnamespace = current_schema()::regnamespace")) {
                if (r.next()) {
                    return;
                }
            }
            s.execute("create text search dictionary " + LUCENE_ENGLISH + "_stem (template = snowball, language = english)");
            s.execute("create text search configuration " + LUCENE_ENGLISH + " (copy = english)");
            s.execute("alter text search configuration " + LUCENE_ENGLISH + " alter mapping for asciiword, asciihword,"
                    + " hword_asciipart, word, hword, hword_part with " + LUCENE_ENGLISH + "_stem");
        }
    }
}
