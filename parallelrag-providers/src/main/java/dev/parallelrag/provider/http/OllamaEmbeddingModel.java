package dev.parallelrag.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallelrag.provider.ProviderConfig;
import java.util.ArrayList;
import java.util.List;

/** Ollama embeddings ({@code POST /api/embed} with an input array). */
public final class OllamaEmbeddingModel extends RemoteEmbeddingModel {

    public static final int DEFAULT_MAX_BATCH = 256;
    public static final int DEFAULT_MAX_TOKENS = 100_000;

    public OllamaEmbeddingModel(ProviderConfig config, String model) {
        this(config, model, 0, DEFAULT_MAX_BATCH, DEFAULT_MAX_TOKENS);
    }

    public OllamaEmbeddingModel(ProviderConfig config, String model, int dimension, int maxBatchSize, int maxBatchTokens) {
        super(config, model, dimension, maxBatchSize, maxBatchTokens);
    }

    @Override
    public List<float[]> embedBatch(List<String> texts) {
        ObjectNode body = ProviderHttp.object();
        body.put("model", model);
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        JsonNode r = http.postJson("/embed", body);
        JsonNode embeddings = r.path("embeddings");
        if (!embeddings.isArray()) {
            throw http.malformed("no embeddings array in the response", r);
        }
        List<float[]> out = new ArrayList<>(embeddings.size());
        for (JsonNode e : embeddings) {
            out.add(vector(e, r));
        }
        checkCount(out, texts.size(), r);
        return out;
    }
}
