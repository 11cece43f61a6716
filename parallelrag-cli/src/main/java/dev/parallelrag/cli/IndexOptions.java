package dev.parallelrag.cli;

import dev.parallelrag.lucene.LuceneStoreConfig;
import dev.parallelrag.lucene.LuceneVectorStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --index DIR} option shared by ingest, ask, search and stats. */
final class IndexOptions {

    /** Where the index lives when {@code --index} is not given: {@code .parallelrag/} in the working directory. */
    static final String DEFAULT_INDEX = ".parallelrag";

    @Option(names = "--index", paramLabel = "DIR", defaultValue = DEFAULT_INDEX,
            description = "Index directory (default: ${DEFAULT-VALUE} in the current directory).")
    Path index;

    /** Opens the index for writing, creating it if needed. */
    LuceneVectorStore openForWriting() {
        return LuceneVectorStore.open(index);
    }

    /** Opens an existing index read-only (a running ingest does not block it). */
    LuceneVectorStore openForReading() {
        return LuceneVectorStore.open(LuceneStoreConfig.builder(index).readOnly(true).build());
    }
}
