package dev.parallelrag.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** OpenAI embeddings ({@code POST /embeddings}), also for compatible servers. */
public final class OpenAiEmbeddingModel extends RemoteEmbeddingModel {

    /** OpenAI's per-request limits: 2,048 inputs and 300,000 tokens. */
    public static final int DEFAULT_MAX_BATCH = 2048;
    public static final int DEFAULT_MAX_TOKENS = 300_000;

    public OpenAiEmbeddingModel(ProviderConfig config, String model) {
        this(config, model, 0, DEFAULT_MAX_BATCH, DEFAULT_MAX_TOKENS);
    }

    /**
     * @param dimension vector size; when positive and the provider is OpenAI itself, sent as {@code dimensions}
     */
    public OpenAiEmbeddingModel(ProviderConfig config, String model, int dimension, int maxBatchSize, int maxBatchTokens) {
        super(config, model, dimension, maxBatchSize, maxBatchTokens);
    }

    @Override
    public List<float[]> embedBatch(List<String> texts) {
        ObjectNode body = ProviderHttp.object();
        body.put("model", model);
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        body.put("encoding_format", "float");
        if (configuredDimension > 0 && http.config().kind() == ProviderKind.OPENAI) {
            body.put("dimensions", configuredDimension);
        }
        JsonNode r = http.postJson("/embeddings", body);
        JsonNode data = r.path("data");
        if (!data.isArray()) {
            throw http.malformed("no data array in the embeddings response", r);
        }
        float[][] out = new float[texts.size()][];
        List<float[]> seen = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            int index = item.has("index") ? item.get("index").asInt() : i; // the index field, not array order, is authoritative
            float[] v = vector(item.path("embedding"), r);
            if (index < 0 || index >= out.length || out[index] != null) {
                throw http.malformed("embedding index " + index + " is out of range or repeated", r);
            }
            out[index] = v;
            seen.add(v);
        }
        checkCount(seen, texts.size(), r);
        return Arrays.asList(out);
    }
}
