package dev.parallelrag.pgvector;

import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.VectorStoreContract;
import org.junit.jupiter.api.AfterEach;

/** Runs the store contract against a fresh table in the test PostgreSQL. */
class PgVectorStoreContractTest extends VectorStoreContract {

    private String table;

    @Override
    protected VectorStore newStore() {
        table = TestDatabase.freshTable("contract");
        return PgVectorStore.open(TestDatabase.config(table).build());
    }

    @AfterEach
    void dropTable() {
        TestDatabase.drop(table);
    }
}
