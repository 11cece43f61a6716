package dev.parallelrag.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.spi.EmbeddingModelProvider;
import dev.parallelrag.error.ValidationException;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The local models are found through ServiceLoader, described without loading, and ask for their own concurrency. */
class OnnxEmbeddingModelProviderTest {

    @Test
    void theProviderDescribesTheBundledModelAsTheLoadedModelDoes() {
        EmbeddingModelProvider provider = ServiceLoader.load(EmbeddingModelProvider.class).findFirst().orElseThrow();
        assertThat(provider.kind()).isEqualTo("local");
        assertThat(provider.defaultModel()).isEqualTo(OnnxEmbeddingModel.DEFAULT_MODEL).isEqualTo("bge-small-en-v1.5-q");
        EmbedderSpec described = provider.describe(provider.defaultModel());
        assertThat(described).isEqualTo(new EmbedderSpec("local", "bge-small-en-v1.5-q", "local/bge-small-en-v1.5-q", 384, true,
                "cls", OnnxEmbeddingModel.BGE_QUERY_INSTRUCTION));
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.bgeSmallEnV15Quantized(OnnxEmbeddingConfig.builder().threads(3).build())) {
            assertThat(model.spec()).isEqualTo(described);
            assertThat(model.preferredConcurrency()).isEqualTo(3).isEqualTo(model.config().parallelism());
        }
        assertThat(provider.describe("ALL-MINILM-L6-V2-Q").modelId()).isEqualTo("local/all-minilm-l6-v2-q");
        assertThatThrownBy(() -> provider.describe("bge-large")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("all-minilm-l6-v2");
    }
}
