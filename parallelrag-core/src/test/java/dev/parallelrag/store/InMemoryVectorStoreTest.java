package dev.parallelrag.store;

/** Runs the store contract against the in-memory store. */
class InMemoryVectorStoreTest extends VectorStoreContract {

    @Override
    protected VectorStore newStore() {
        return new InMemoryVectorStore();
    }
}
