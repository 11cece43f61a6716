package dev.parallelrag.engine;

import dev.parallelrag.pipeline.IngestListener;
import dev.parallelrag.runtime.StopSignal;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link ParallelRag#ingest} call walks and reports; how it splits and embeds is the engine's
 * (the index's record, or the engine builder's settings).
 *
 * @param include       only files matching one of these globs ({@code *.md}, {@code docs/**}); empty for all
 * @param exclude       skip files and directories matching one of these globs
 * @param includeHidden also walk names starting with a dot
 * @param prune         remove the chunks of files under the paths that no longer exist
 * @param listener      progress events
 * @param stop          stops the run from another thread: the documents finished are committed, the rest are
 *                      left for the next run of the same ingest (see {@link StopSignal}); default never
 */
public record IngestOptions(List<String> include, List<String> exclude, boolean includeHidden, boolean prune,
                            IngestListener listener, StopSignal stop) {

    public IngestOptions {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(stop, "stop");
    }

    /** Every supported file, no pruning, no events. */
    public static IngestOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Not thread-safe. */
    public static final class Builder {
        private List<String> include = List.of();
        private List<String> exclude = List.of();
        private boolean includeHidden;
        private boolean prune;
        private IngestListener listener = IngestListener.NONE;
        private StopSignal stop = StopSignal.never();

        private Builder() {
        }

        public Builder include(List<String> globs) {
            this.include = globs;
            return this;
        }

        public Builder exclude(List<String> globs) {
            this.exclude = globs;
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

        public Builder listener(IngestListener listener) {
            this.listener = listener;
            return this;
        }

        /** A signal that stops the run in an orderly way; {@link StopSignal#never()} by default. */
        public Builder stop(StopSignal stop) {
            this.stop = stop;
            return this;
        }

        public IngestOptions build() {
            return new IngestOptions(include, exclude, includeHidden, prune, listener, stop);
        }
    }
}
