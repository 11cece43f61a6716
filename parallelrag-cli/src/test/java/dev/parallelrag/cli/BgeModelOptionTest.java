package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.onnx.OnnxEmbeddingConfig;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.store.SearchMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --model bge-small-en-v1.5[-q]} for ingest and embed: the index records the model and its query instruction,
 * reopening it uses both without flags, embed gives the model's document vectors, and an unknown name is a usage
 * error naming the four bundled models. The int8 model stands for both here (the full one is the same code path
 * with another file, tested against LangChain4j in parallelrag-onnx), to keep this test quick.
 */
class BgeModelOptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEECH = "../examples/sample/1790_george_washington_n.txt";

    @TempDir
    Path work;

    @Test
    void anIndexIngestedWithBgeIsReopenedWithBgeAndItsQueryInstruction() throws IOException {
        Path index = work.resolve("bge-index");
        SplitRun ingest = SplitRun.run("ingest", SPEECH, "--index", index.toString(), "--model", "bge-small-en-v1.5-q", "--quiet");
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();

        try (ParallelRag rag = ParallelRag.open(index)) {
            EmbedderSpec recorded = rag.manifest().orElseThrow().embedder();
            assertThat(recorded.modelId()).isEqualTo("local/bge-small-en-v1.5-q");
            assertThat(recorded.pooling()).isEqualTo("cls");
            assertThat(recorded.queryPrefix()).isEqualTo(OnnxEmbeddingModel.BGE_QUERY_INSTRUCTION);
            assertThat(rag.search("the public debt", 3, SearchMode.VECTOR)).hasSize(3);
            // the model loaded for that search is bge's, and questions still get the recorded instruction
            assertThat(rag.embedder().modelId()).isEqualTo("local/bge-small-en-v1.5-q");
            assertThat(rag.embedder().queryPrefix()).isEqualTo(OnnxEmbeddingModel.BGE_QUERY_INSTRUCTION);
        }
        SplitRun search = SplitRun.run("search", "the public debt", "--k", "3", "--json", "--index", index.toString());
        assertThat(search.exitCode()).as(search.err()).isZero();
        assertThat(JSON.readTree(search.out())).hasSize(3);
    }

    @Test
    void embedWithBgeGivesTheModelsDocumentVectors() throws IOException {
        String text = "The public debt and the Congress";
        CliRun run = CliRun.run(EmbedCommand::new, Map.of(), text + "\n", "--model", "bge-small-en-v1.5-q");
        assertThat(run.exit()).as(run.err()).isZero();

        JsonNode vector = JSON.readTree(run.out().lines().findFirst().orElseThrow()).get("embedding");
        float[] cli = new float[vector.size()];
        for (int i = 0; i < cli.length; i++) {
            cli[i] = (float) vector.get(i).asDouble();
        }
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.bgeSmallEnV15Quantized(OnnxEmbeddingConfig.defaults())) {
            float[] document = model.embedBatch(List.of(text)).getFirst();
            assertThat(cli).hasSize(384);
            assertThat(dot(cli, document)).as("no query instruction before an embedded text").isGreaterThan(0.9999);
        }
    }

    @Test
    void anUnknownModelIsAUsageErrorNamingTheBundledOnes() {
        SplitRun ingest = SplitRun.run("ingest", SPEECH, "--index", work.resolve("none").toString(), "--model", "bge-large");
        CliRun embed = CliRun.run(EmbedCommand::new, Map.of(), "x\n", "--model", "bge-large");

        String allowed = "all-minilm-l6-v2, all-minilm-l6-v2-q, bge-small-en-v1.5 or bge-small-en-v1.5-q";
        assertThat(ingest.exitCode()).isEqualTo(2);
        assertThat(ingest.err()).contains("bge-large").contains(allowed).doesNotContain("\tat ");
        assertThat(embed.exit()).isEqualTo(2);
        assertThat(embed.err()).contains("bge-large").contains(allowed).doesNotContain("\tat ");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
