package dev.parallelrag.lucene;

import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.VectorStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Runs the store contract against a Lucene index in a temporary directory. */
class LuceneVectorStoreContractTest extends VectorStoreContract {

    @TempDir
    Path dir;

    @Override
    protected VectorStore newStore() {
        return LuceneVectorStore.open(dir.resolve("index"));
    }
}
