package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.cache.CachingEmbeddingModel;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.testkit.FakeProviderServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remote embedder behind the cache: a second pass over unchanged text makes no embedding request. */
class RemoteEmbeddingCacheTest {

    @Test
    void secondRunOverTheSameTextsMakesZeroEmbeddingRequests(@TempDir Path dir) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            texts.add("passage number " + i + " of the corpus");
        }
        try (FakeProviderServer server = FakeProviderServer.builder().dimension(16).start()) {
            ProviderConfig config = ProviderConfig.builder(ProviderKind.OPENAI).environment(name -> null)
                    .baseUrl(server.openAiBaseUrl()).apiKey("test-key").build();
            List<float[]> first;
            try (CachingEmbeddingModel cached = CachingEmbeddingModel.onDisk(
                    Providers.embeddingModel(config, "text-embedding-3-small"), 1000, dir)) {
                first = cached.embedBatch(texts);
            }
            int afterFirst = server.requestCount("/embeddings");
            assertThat(afterFirst).isPositive();

            // as a second process would: a new client and a new cache object on the same directory
            try (CachingEmbeddingModel cached = CachingEmbeddingModel.onDisk(
                    Providers.embeddingModel(config, "text-embedding-3-small"), 1000, dir)) {
                List<float[]> second = cached.embedBatch(texts);
                assertThat(server.requestCount("/embeddings")).isEqualTo(afterFirst);
                assertThat(cached.cacheStats().diskHits()).isEqualTo(texts.size());
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(second.get(i)).containsExactly(first.get(i));
                }
            }
        }
    }
}
