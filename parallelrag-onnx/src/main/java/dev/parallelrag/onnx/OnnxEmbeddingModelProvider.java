package dev.parallelrag.onnx;

import dev.parallelrag.Internal;
import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.embed.spi.EmbeddingModelProvider;
import dev.parallelrag.error.ValidationException;
import java.util.Locale;

/**
 * Registers the bundled ONNX models as embedder kind {@code local} (see
 * {@code META-INF/services/dev.parallelrag.embed.spi.EmbeddingModelProvider}), so the engine in core can
 * reopen an index they embedded. Both bundled models are all-MiniLM-L6-v2: 384 dimensions, mean pooling,
 * normalised, known without loading them.
 */
@Internal
public final class OnnxEmbeddingModelProvider implements EmbeddingModelProvider {

    private static final int MINILM_DIMENSION = 384;

    @Override
    public String kind() {
        return EmbedderSpec.LOCAL;
    }

    @Override
    public String defaultModel() {
        return OnnxEmbeddingModel.ALL_MINILM_L6_V2;
    }

    @Override
    public EmbedderSpec describe(String model) {
        String n = model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
        if (!n.equals(OnnxEmbeddingModel.ALL_MINILM_L6_V2) && !n.equals(OnnxEmbeddingModel.ALL_MINILM_L6_V2_Q)) {
            throw new ValidationException("model", model, "is not a bundled local model; use " + OnnxEmbeddingModel.ALL_MINILM_L6_V2
                    + " or " + OnnxEmbeddingModel.ALL_MINILM_L6_V2_Q);
        }
        return new EmbedderSpec(EmbedderSpec.LOCAL, n, "local/" + n, MINILM_DIMENSION, true,
                Pooling.MEAN.name().toLowerCase(Locale.ROOT), "");
    }

    @Override
    public EmbeddingModel create(EmbedderSpec spec) {
        return OnnxEmbeddingModel.named(describe(spec.model()).model(), OnnxEmbeddingConfig.defaults());
    }
}
