package dev.parallelrag.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallelrag.provider.ProviderConfig;
import java.util.ArrayList;
import java.util.List;

/** Gemini {@code :embedContent} (one text) and {@code :batchEmbedContents} (several). */
public final class GeminiEmbeddingModel extends RemoteEmbeddingModel {

    /** {@code batchEmbedContents} takes at most 100 requests. */
    public static final int DEFAULT_MAX_BATCH = 100;
    public static final int DEFAULT_MAX_TOKENS = 100_000;

    public GeminiEmbeddingModel(ProviderConfig config, String model) {
        this(config, model, 0, DEFAULT_MAX_BATCH, DEFAULT_MAX_TOKENS);
    }

    /** @param dimension when positive, sent as {@code outputDimensionality} */
    public GeminiEmbeddingModel(ProviderConfig config, String model, int dimension, int maxBatchSize, int maxBatchTokens) {
        super(config, model.strip().startsWith("models/") ? model.strip().substring(7) : model, dimension,
                maxBatchSize, maxBatchTokens);
    }

    private ObjectNode content(ObjectNode target, String text) {
        target.putObject("content").putArray("parts").addObject().put("text", text);
        if (configuredDimension > 0) {
            target.put("outputDimensionality", configuredDimension);
        }
        return target;
    }

    @Override
    public List<float[]> embedBatch(List<String> texts) {
        if (texts.size() == 1) {
            ObjectNode body = content(ProviderHttp.object(), texts.get(0));
            body.put("model", "models/" + model);
            JsonNode r = http.postJson("/models/" + model + ":embedContent", body);
            return List.of(vector(r.path("embedding").path("values"), r));
        }
        ObjectNode body = ProviderHttp.object();
        ArrayNode requests = body.putArray("requests");
        for (String t : texts) {
            content(requests.addObject().put("model", "models/" + model), t);
        }
        JsonNode r = http.postJson("/models/" + model + ":batchEmbedContents", body);
        JsonNode embeddings = r.path("embeddings");
        if (!embeddings.isArray()) {
            throw http.malformed("no embeddings array in the batch response", r);
        }
        List<float[]> out = new ArrayList<>(embeddings.size());
        for (JsonNode e : embeddings) {
            out.add(vector(e.path("values"), r));
        }
        checkCount(out, texts.size(), r);
        return out;
    }
}
