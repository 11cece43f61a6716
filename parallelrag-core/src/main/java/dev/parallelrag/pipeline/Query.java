package dev.parallelrag.pipeline;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.SearchMode;

/**
 * One search or question over an index: the text, how many chunks to retrieve, how to rank them, and which chunks
 * may be used. {@link Rag#search(Query)}, {@link Rag#ask(Query)} and {@link Rag#askStreaming} take it, and so do the
 * engine's methods of the same names; the filter reaches the store in every mode, so a question is answered only
 * from the chunks it allows.
 *
 * <pre>{@code
 * Query q = Query.builder("What did Lincoln say about the slave trade?").k(3)
 *         .filter(MetadataFilter.eq(MetadataFilter.SOURCE, "sample/1861_abraham_lincoln_r.txt")).build();
 * }</pre>
 *
 * <p>The text is checked where it is used ({@code query} for a search, {@code question} for an ask), so that an
 * error names the field the caller filled in.
 *
 * @param text   the query or question
 * @param k      chunks to retrieve, 1 to {@value #MAX_K}
 * @param mode   how to rank them
 * @param filter which chunks may be retrieved; {@link MetadataFilter#all()} for every chunk
 * @param maxAnswerTokens the most tokens a generated answer may take, 1 to
 *               {@value dev.parallelrag.llm.CompletionOptions#MAX_TOKENS_LIMIT}, or 0 for
 *               {@value dev.parallelrag.llm.CompletionOptions#DEFAULT_MAX_TOKENS}; an answer cut at the limit says so
 *               ({@link Answer#truncated()}). Extractive answers and searches ignore it.
 */
public record Query(String text, int k, SearchMode mode, MetadataFilter filter, int maxAnswerTokens) {

    /** The most chunks one query may retrieve. */
    public static final int MAX_K = 1000;

    public Query {
        if (k < 1 || k > MAX_K) {
            throw new ValidationException("k", k, "must be between 1 and " + MAX_K);
        }
        if (mode == null) {
            throw new ValidationException("mode", null, "must be one of hybrid, vector, keyword");
        }
        if (filter == null) {
            throw new ValidationException("filter", null, "must be given; use MetadataFilter.all() for every chunk");
        }
        if (maxAnswerTokens < 0 || maxAnswerTokens > CompletionOptions.MAX_TOKENS_LIMIT) {
            throw new ValidationException("max_tokens", maxAnswerTokens, "must be between 1 and "
                    + CompletionOptions.MAX_TOKENS_LIMIT + ", or 0 for the default of " + CompletionOptions.DEFAULT_MAX_TOKENS);
        }
    }

    /** A query whose answers take up to {@value dev.parallelrag.llm.CompletionOptions#DEFAULT_MAX_TOKENS} tokens. */
    public Query(String text, int k, SearchMode mode, MetadataFilter filter) {
        this(text, k, mode, filter, 0);
    }

    /** The completion options of a generated answer to this query. */
    CompletionOptions completionOptions() {
        return maxAnswerTokens == 0 ? CompletionOptions.defaults()
                : CompletionOptions.builder().maxTokens(maxAnswerTokens).build();
    }

    /** A builder with {@link Rag#DEFAULT_K} chunks, hybrid ranking and no filter. */
    public static Builder builder(String text) {
        return new Builder(text);
    }

    /** Builder of a {@link Query}; {@link #build()} validates. */
    public static final class Builder {
        private final String text;
        private int k = Rag.DEFAULT_K;
        private SearchMode mode = SearchMode.HYBRID;
        private MetadataFilter filter = MetadataFilter.all();
        private int maxAnswerTokens;

        private Builder(String text) {
            this.text = text;
        }

        public Builder k(int k) {
            this.k = k;
            return this;
        }

        public Builder mode(SearchMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder filter(MetadataFilter filter) {
            this.filter = filter;
            return this;
        }

        /** The most tokens a generated answer may take; 0 (the default) for the engine's default. */
        public Builder maxAnswerTokens(int maxAnswerTokens) {
            this.maxAnswerTokens = maxAnswerTokens;
            return this;
        }

        public Query build() {
            return new Query(text, k, mode, filter, maxAnswerTokens);
        }
    }
}
