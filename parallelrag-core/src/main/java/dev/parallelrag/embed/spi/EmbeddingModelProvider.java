package dev.parallelrag.embed.spi;

import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.embed.EmbeddingModel;

/**
 * A plug-in that builds embedding models of one kind by name, so that core can reopen an index embedded
 * by a model that lives in another module (the local ONNX models of {@code parallelrag-onnx} register
 * {@code local} this way). Found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.parallelrag.embed.spi.EmbeddingModelProvider}; it needs a public no-argument
 * constructor. Implementations are thread-safe.
 */
public interface EmbeddingModelProvider {

    /** The kind recorded in an index, e.g. {@code local}. */
    String kind();

    /** The model used when none is named. */
    String defaultModel();

    /**
     * What the named model is, without loading it: its id, dimension, normalisation and pooling.
     *
     * @throws dev.parallelrag.error.ValidationException for a name this provider does not know, listing the ones it does
     */
    EmbedderSpec describe(String model);

    /** Loads the model a spec of this kind describes. The caller closes it. */
    EmbeddingModel create(EmbedderSpec spec);
}
