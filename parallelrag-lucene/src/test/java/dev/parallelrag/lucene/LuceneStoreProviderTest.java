package dev.parallelrag.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.store.StoredChunk;
import dev.parallelrag.store.StoreLocation;
import dev.parallelrag.store.VectorStore;
import dev.parallelrag.store.spi.VectorStoreProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store records its settings and the provider reopens the index with them, found through ServiceLoader. */
class LuceneStoreProviderTest {

    @TempDir
    Path dir;

    @Test
    void anIndexReopensThroughTheProviderWithTheSettingsItWasBuiltWith() {
        LuceneStoreConfig built = LuceneStoreConfig.builder(dir).analyzer(TextAnalyzer.STANDARD).vectorWeight(0.5)
                .keywordWeight(2.0).rankConstant(10).hybridCandidates(30).vectorCandidates(80).hnswMaxConn(8)
                .hnswBeamWidth(50).build();
        try (LuceneVectorStore store = LuceneVectorStore.open(built)) {
            store.upsert(List.of(new StoredChunk("c1", "d1", "d1", 0, 5, "hello", "h", "m", Map.of(), new float[] {1, 0})));
            assertThat(store.indexMetadata()).containsEntry("store.kind", "lucene").containsEntry("store.analyzer", "standard")
                    .containsEntry("store.rank_constant", "10");
        }
        VectorStoreProvider provider = ServiceLoader.load(VectorStoreProvider.class).findFirst().orElseThrow();
        assertThat(provider.kind()).isEqualTo("lucene");
        assertThat(provider.holdsIndex(StoreLocation.directory(dir))).isTrue();
        assertThat(provider.holdsIndex(StoreLocation.directory(dir.resolve("nothing")))).isFalse();
        // the default analyzer is english: opening with defaults would refuse this standard-analyzer index
        try (VectorStore reopened = provider.open(StoreLocation.directory(dir), true)) {
            LuceneStoreConfig config = ((LuceneVectorStore) reopened).config();
            assertThat(config.settings()).isEqualTo(built.settings());
            assertThat(config.readOnly()).isTrue();
            assertThat(reopened.count()).isEqualTo(1);
        }
    }

    @Test
    void settingsRoundTripAndAnUnknownOneIsAnError() {
        LuceneStoreConfig config = LuceneStoreConfig.builder(dir).analyzer(TextAnalyzer.STANDARD).hnswMaxConn(32).build();
        assertThat(LuceneStoreConfig.fromSettings(dir, config.settings()).build()).isEqualTo(config);
        assertThatThrownBy(() -> LuceneStoreConfig.fromSettings(dir, Map.of("quantization", "int8")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("store.quantization");
    }
}
