package dev.parallelrag.pipeline;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.read.ReaderRegistry;
import dev.parallelrag.runtime.Sizing;
import dev.parallelrag.split.TextSplitter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Immutable settings of an {@link IngestPipeline}. Build with {@link #builder(TextSplitter, String)};
 * {@link Builder#build()} validates every value.
 *
 * <p>Defaults:
 * <ul>
 *   <li>{@code documentWindow} 2 x CPU pool size: documents read, split and planned ahead of the embedder;</li>
 *   <li>{@code embedConcurrency}: the embedder's {@code preferredConcurrency()} (a local ONNX model: as many
 *       calls as it runs micro-batches at once; a remote provider: 4; any other model: 2);</li>
 *   <li>{@code batchSize} and {@code batchTokens} unset (0): each embedding call holds as many texts and
 *       estimated tokens as the embedder takes ({@code maxBatchSize()}, {@code maxBatchTokens()}), since it
 *       knows its own best size. A smaller value is honoured; a larger one is refused by the pipeline with a
 *       {@code ValidationException}, never cut down in silence;</li>
 *   <li>{@code commitEveryChunks} 4,096 and {@code commitInterval} 10 s: the store is committed at the first
 *       document boundary after either is reached, and at the end;</li>
 *   <li>{@code prune} off; {@code includeHidden} off; no include or exclude globs; the default
 *       {@link ReaderRegistry}.</li>
 * </ul>
 *
 * @param splitter            how documents are cut into chunks
 * @param splitterFingerprint a stable description of the splitter and its settings (e.g.
 *                            {@code recursive:size=1000:overlap=200}); part of every chunk id, so changing
 *                            the splitter settings re-indexes the documents
 */
public record IngestConfig(
        TextSplitter splitter,
        String splitterFingerprint,
        ReaderRegistry readers,
        List<String> includeGlobs,
        List<String> excludeGlobs,
        boolean includeHidden,
        boolean prune,
        int documentWindow,
        int embedConcurrency,
        int batchSize,
        int batchTokens,
        int commitEveryChunks,
        Duration commitInterval) {

    public IngestConfig {
        if (splitter == null) {
            throw new ValidationException("splitter", null, "must be given (e.g. a RecursiveSplitter)");
        }
        if (splitterFingerprint == null || splitterFingerprint.isBlank()) {
            throw new ValidationException("splitterFingerprint", splitterFingerprint,
                    "must describe the splitter and its settings, e.g. \"recursive:size=1000:overlap=200\"");
        }
        Objects.requireNonNull(readers, "readers");
        includeGlobs = List.copyOf(includeGlobs);
        excludeGlobs = List.copyOf(excludeGlobs);
        positive("documentWindow", documentWindow, Sizing.MAX_DOCUMENT_WINDOW);
        zeroOrPositive("embedConcurrency", embedConcurrency, Sizing.MAX_EMBED_CONCURRENCY);
        zeroOrPositive("batchSize", batchSize, 100_000);
        zeroOrPositive("batchTokens", batchTokens, 10_000_000);
        positive("commitEveryChunks", commitEveryChunks, Integer.MAX_VALUE);
        if (commitInterval == null || commitInterval.isNegative() || commitInterval.isZero()) {
            throw new ValidationException("commitInterval", commitInterval, "must be a positive duration, e.g. 10s");
        }
    }

    /** 0 stands for "unset": the embedder's own limit or preference (see the class comment). */
    private static void zeroOrPositive(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new ValidationException(field, value, "must be between 1 and " + max
                    + ", or 0 (unset) for the embedder's own choice");
        }
    }

    private static void positive(String field, int value, int max) {
        if (value < 1 || value > max) {
            throw new ValidationException(field, value, "must be between 1 and " + max);
        }
    }

    /**
     * Uses the splitter's {@code toString()} as its fingerprint: the built-in splitters print every
     * setting there. Give an explicit fingerprint for a splitter whose {@code toString()} does not.
     */
    public static Builder builder(TextSplitter splitter) {
        return new Builder(splitter, splitter == null ? null : splitter.toString());
    }

    public static Builder builder(TextSplitter splitter, String splitterFingerprint) {
        return new Builder(splitter, splitterFingerprint);
    }

    /** Mutable builder with the documented defaults. Not thread-safe. */
    public static final class Builder {
        private final TextSplitter splitter;
        private final String splitterFingerprint;
        private ReaderRegistry readers;
        private List<String> includeGlobs = List.of();
        private List<String> excludeGlobs = List.of();
        private boolean includeHidden;
        private boolean prune;
        private int documentWindow = 2 * Math.max(1, Runtime.getRuntime().availableProcessors());
        private int embedConcurrency; // 0: the embedder's preferred concurrency
        private int batchSize;
        private int batchTokens;
        private int commitEveryChunks = 4_096;
        private Duration commitInterval = Duration.ofSeconds(10);

        private Builder(TextSplitter splitter, String splitterFingerprint) {
            this.splitter = splitter;
            this.splitterFingerprint = splitterFingerprint;
        }

        public Builder readers(ReaderRegistry readers) {
            this.readers = readers;
            return this;
        }

        public Builder include(List<String> globs) {
            this.includeGlobs = globs;
            return this;
        }

        public Builder exclude(List<String> globs) {
            this.excludeGlobs = globs;
            return this;
        }

        public Builder includeHidden(boolean includeHidden) {
            this.includeHidden = includeHidden;
            return this;
        }

        public Builder prune(boolean prune) {
            this.prune = prune;
            return this;
        }

        public Builder documentWindow(int documentWindow) {
            this.documentWindow = documentWindow;
            return this;
        }

        public Builder embedConcurrency(int embedConcurrency) {
            this.embedConcurrency = embedConcurrency;
            return this;
        }

        /** Texts per embedding call, at most the embedder's {@code maxBatchSize()}; 0 (default) for that limit. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Estimated tokens per embedding call, at most the embedder's {@code maxBatchTokens()}; 0 (default) for that limit. */
        public Builder batchTokens(int batchTokens) {
            this.batchTokens = batchTokens;
            return this;
        }

        public Builder commitEveryChunks(int commitEveryChunks) {
            this.commitEveryChunks = commitEveryChunks;
            return this;
        }

        public Builder commitInterval(Duration commitInterval) {
            this.commitInterval = commitInterval;
            return this;
        }

        public IngestConfig build() {
            return new IngestConfig(splitter, splitterFingerprint, readers == null ? ReaderRegistry.defaults() : readers,
                    includeGlobs, excludeGlobs, includeHidden, prune, documentWindow, embedConcurrency, batchSize,
                    batchTokens, commitEveryChunks, commitInterval);
        }
    }
}
