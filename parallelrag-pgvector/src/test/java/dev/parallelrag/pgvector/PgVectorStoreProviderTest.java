package dev.parallelrag.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.StoreException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.store.StoreLocation;
import dev.parallelrag.store.StoredChunk;
import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.spi.VectorStoreProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code pgvector} store kind as the engine finds and uses it, and a reader that was opened before any write. */
class PgVectorStoreProviderTest {

    private final List<String> tables = new ArrayList<>();

    @AfterEach
    void dropTables() {
        tables.forEach(TestDatabase::drop);
    }

    private StoreLocation location() {
        String table = TestDatabase.freshTable("provider");
        tables.add(table);
        return StoreLocation.of(PgVectorStoreProvider.KIND, TestDatabase.url(), Map.of(PgVectorStoreProvider.TABLE, table));
    }

    private static VectorStoreProvider provider() {
        return ServiceLoader.load(VectorStoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.kind().equals("pgvector")).findFirst().orElseThrow();
    }

    private static StoredChunk chunk(String id, float... vector) {
        return new StoredChunk(id, "doc", "doc.txt", 0, 5, "hello", "h-" + id, "model-a", Map.of(), vector);
    }

    @Test
    void theKindIsRegisteredAndHoldsAnIndexOnceItsRecordIsWritten() {
        VectorStoreProvider provider = provider();
        StoreLocation location = location();

        assertThat(provider.holdsIndex(location)).isFalse();
        try (VectorStore store = provider.open(location, false)) {
            assertThat(store.indexMetadata()).containsEntry("store.kind", "pgvector");
        }
        assertThat(provider.holdsIndex(location)).isTrue();
        assertThat(provider.recordedMetadata(location)).containsEntry("store.kind", "pgvector");
    }

    @Test
    void aDirectoryIsNeverAPgvectorIndex() {
        assertThat(provider().holdsIndex(StoreLocation.directory(Path.of("jdbc-looking-dir")))).isFalse();
    }

    @Test
    void theTableSettingPicksTheTable() {
        StoreLocation location = location();
        try (VectorStore store = provider().open(location, false)) {
            store.upsert(List.of(chunk("a", 1, 0)));
        }
        try (PgVectorStore direct = PgVectorStore.open(TestDatabase.config(location.setting("table")).build())) {
            assertThat(direct.count()).isEqualTo(1);
        }
    }

    @Test
    void withoutAUrlOrWithAnUnknownSettingItIsRefusedNamingTheField() {
        assertThatThrownBy(() -> provider().open(StoreLocation.of("pgvector", null, Map.of()), true))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("pgvector.url");
                    assertThat(e.getMessage()).contains("--pg-url").contains("PARALLELRAG_PG_URL");
                });
        assertThatThrownBy(() -> provider().open(StoreLocation.of("pgvector", TestDatabase.url(),
                Map.of("tabel", "x")), true)).isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("pgvector.tabel"));
    }

    @Test
    void discardDropsTheChunksAndKeepsTheRecordSoAnotherDimensionCanFollow() {
        VectorStoreProvider provider = provider();
        StoreLocation location = location();
        try (VectorStore store = provider.open(location, false)) {
            store.upsert(List.of(chunk("a", 1, 0), chunk("b", 0, 1)));
            store.putIndexMetadata(Map.of("embedder.model", "model-a"));
        }

        assertThat(provider.discard(location)).isTrue();

        try (VectorStore store = provider.open(location, false)) {
            assertThat(store.count()).isZero();
            assertThat(store.dimension()).isZero();
            assertThat(store.indexMetadata()).containsEntry("embedder.model", "model-a");
            store.upsert(List.of(chunk("c", 1, 0, 0)));
            assertThat(store.dimension()).isEqualTo(3);
        }
    }

    @Test
    void verifyIsRefusedSincePostgresqlChecksItsOwnPages() {
        assertThatThrownBy(() -> provider().verify(location())).isInstanceOf(StoreException.class)
                .hasMessageContaining("pg_amcheck");
    }

    @Test
    void aReaderOpenedBeforeTheTableExistsSeesTheFirstWritersDimensionAndRows() {
        StoreLocation location = location();
        try (VectorStore reader = provider().open(location, true)) {
            assertThat(reader.dimension()).isZero();
            try (VectorStore writer = provider().open(location, false)) {
                writer.upsert(List.of(chunk("a", 1, 0), chunk("b", 0, 1)));
            }

            assertThat(reader.dimension()).isEqualTo(2);
            assertThat(reader.count()).isEqualTo(2);
            assertThat(reader.search(new float[] {0, 1}, 1)).extracting(h -> h.chunkId()).containsExactly("b");
        }
    }
}
