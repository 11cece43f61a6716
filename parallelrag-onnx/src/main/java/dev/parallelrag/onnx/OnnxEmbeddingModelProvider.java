package dev.parallelrag.onnx;

import dev.parallelrag.Internal;
import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.embed.spi.EmbeddingModelProvider;
import java.util.Locale;

/**
 * Registers the bundled ONNX models as embedder kind {@code local} (see
 * {@code META-INF/services/dev.parallelrag.embed.spi.EmbeddingModelProvider}), so the engine in core can
 * reopen an index they embedded. The bundled models (all-MiniLM-L6-v2 and bge-small-en-v1.5, each full and int8)
 * are described without loading them: 384 dimensions, normalised, their pooling and query prefix.
 */
@Internal
public final class OnnxEmbeddingModelProvider implements EmbeddingModelProvider {

    @Override
    public String kind() {
        return EmbedderSpec.LOCAL;
    }

    @Override
    public String defaultModel() {
        return OnnxEmbeddingModel.DEFAULT_MODEL;
    }

    @Override
    public EmbedderSpec describe(String model) {
        BundledModel m = BundledModel.require(model, "");
        return new EmbedderSpec(EmbedderSpec.LOCAL, m.modelName(), "local/" + m.modelName(), BundledModel.DIMENSION, true,
                m.pooling().name().toLowerCase(Locale.ROOT), m.queryPrefix());
    }

    @Override
    public EmbeddingModel create(EmbedderSpec spec) {
        return OnnxEmbeddingModel.named(describe(spec.model()).model(), OnnxEmbeddingConfig.defaults());
    }
}
