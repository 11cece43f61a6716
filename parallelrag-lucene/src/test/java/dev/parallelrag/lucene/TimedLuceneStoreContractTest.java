package dev.parallelrag.lucene;

import dev.parallelrag.metrics.TimedVectorStore;
import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.VectorStoreContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract through the query-timing decorator: a timed store behaves exactly as the store it wraps. */
class TimedLuceneStoreContractTest extends VectorStoreContract {

    @TempDir
    Path dir;

    @Override
    protected VectorStore newStore() {
        return TimedVectorStore.of(LuceneVectorStore.open(dir.resolve("index")), "lucene", new SimpleMeterRegistry());
    }
}
