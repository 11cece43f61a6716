package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.index.IndexManifest;
import dev.parallelrag.lucene.LuceneVectorStore;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestListener;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.SplitterSpec;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import dev.parallelrag.testkit.FakeProviderServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must show 1: an index built through the library (the engine, or the ingest pipeline directly) is answered
 * by the CLI's ask and search with no flag but {@code --index}; an index built by the CLI is reopened by the
 * library with one call and gives the same hits. Also: keyword search and stats load no model and need no
 * key; an index of an older version is read; another embedder for an index with chunks is a clear error.
 */
class EngineInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY = "the public debt and the Congress";
    /** Two of the sample speeches (21 KB): enough chunks for every search, quick to embed on a busy machine. */
    private static final List<String> FILES = List.of("1790_george_washington_n.txt", "1934_franklin_d_roosevelt_d.txt");

    @TempDir
    static Path work;

    private static Path sample;
    private static FakeProviderServer server;

    @BeforeAll
    static void copySample() throws IOException {
        sample = Files.createDirectories(work.resolve("sample"));
        for (String f : FILES) {
            Files.copy(Path.of("../examples/sample").resolve(f), sample.resolve(f));
        }
        server = FakeProviderServer.builder().dimension(64).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> cliSearchIds(Path index, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("search", QUERY, "--k", "4", "--json", "--index", index.toString()));
        args.addAll(List.of(extra));
        SplitRun run = SplitRun.run(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> ids = new ArrayList<>();
        JSON.readTree(run.out()).forEach(h -> ids.add(h.get("chunk_id").asText()));
        return ids;
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::chunkId).toList();
    }

    @Test
    void anIndexBuiltByTheEngineIsAnsweredByCliAskAndSearchWithNoFlags() throws IOException {
        Path index = work.resolve("engine-built");
        List<String> library;
        try (ParallelRag rag = ParallelRag.builder(index)
                .splitter(SplitterSpec.builder(SplitterSpec.Kind.SENTENCE).chunkSize(600).build()).build()) {
            rag.ingest(List.of(sample));
            library = ids(rag.search(QUERY, 4, SearchMode.HYBRID));
        }
        assertThat(cliSearchIds(index)).isEqualTo(library).hasSize(4);
        SplitRun ask = SplitRun.run("ask", "What did the president say about the public debt?", "--index", index.toString());
        assertThat(ask.exitCode()).as(ask.err()).isZero();
        assertThat(ask.out()).contains("extractive answer").contains("Sources:").contains("[1] ");
    }

    @Test
    void anIndexBuiltByTheIngestPipelineDirectlyIsAnsweredByTheCli() throws IOException {
        Path index = work.resolve("pipeline-built");
        List<String> library;
        try (LuceneVectorStore store = LuceneVectorStore.open(index);
             OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2();
             ParallelRuntime runtime = ParallelRuntime.create()) {
            new IngestPipeline(IngestConfig.builder(Splitters.recursive(800, 100)).build(), model, store, runtime)
                    .run(List.of(sample), IngestListener.NONE);
            library = ids(dev.parallelrag.pipeline.Rag.builder(model, store).build().search(QUERY, 4, SearchMode.HYBRID));
        }
        assertThat(cliSearchIds(index)).isEqualTo(library);
        SplitRun ask = SplitRun.run("ask", "What did the president say about the public debt?", "--index", index.toString());
        assertThat(ask.exitCode()).as(ask.err()).isZero();
        assertThat(ask.out()).contains("Sources:");
        SplitRun stats = SplitRun.run("stats", "--json", "--index", index.toString());
        JsonNode s = JSON.readTree(stats.out());
        assertThat(s.get("model").asText()).isEqualTo("local/all-minilm-l6-v2");
        assertThat(s.get("embedder").asText()).isEqualTo("local");
        assertThat(s.get("manifest").get("splitter.chunk_size").asText()).isEqualTo("800");
    }

    @Test
    void anIndexBuiltByTheCliIsReopenedByTheLibraryWithOneCall() throws IOException {
        Path index = work.resolve("cli-built");
        SplitRun ingest = SplitRun.run("ingest", sample.toString(), "--index", index.toString(), "--splitter", "token",
                "--chunk-size", "200", "--quiet");
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();
        List<String> cli = cliSearchIds(index);
        try (ParallelRag rag = ParallelRag.open(index)) {
            assertThat(ids(rag.search(QUERY, 4, SearchMode.HYBRID))).isEqualTo(cli);
            IndexManifest manifest = rag.manifest().orElseThrow();
            assertThat(manifest.splitter()).contains(SplitterSpec.builder(SplitterSpec.Kind.TOKEN).chunkSize(200).build());
            assertThat(manifest.embedder().modelId()).isEqualTo("local/" + OnnxEmbeddingModel.DEFAULT_MODEL);
            assertThat(manifest.embedder().dimension()).isEqualTo(384);
            assertThat(manifest.storeKind()).isEqualTo("lucene");
            // ingest again with no settings: the recorded splitter, so every chunk is already there
            assertThat(rag.ingest(List.of(sample)).chunksAdded()).isZero();
        }
    }

    @Test
    void ingestTakesTheOverlapRuleOfSplit() throws IOException {
        Path index = work.resolve("small-chunks");
        SplitRun run = SplitRun.run("ingest", sample.resolve("1790_george_washington_n.txt").toString(), "--index",
                index.toString(), "--chunk-size", "100", "--quiet");
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (ParallelRag rag = ParallelRag.open(index)) {
            assertThat(rag.manifest().orElseThrow().splitter().orElseThrow().chunkOverlap()).isEqualTo(20);
        }
    }

    @Test
    void ingestTakesEverySplitterAndFileOption() throws Exception {
        Path folder = Files.createDirectories(work.resolve("options"));
        Files.writeString(folder.resolve("a.txt"), "Tariffs and trade.\nThe union is strong.\n".repeat(30));
        Files.writeString(folder.resolve("b.md"), "# Notes\n\nMarkdown about the budget.\n".repeat(30));
        Files.writeString(folder.resolve("c.txt"), "Congress met in December.\n".repeat(30));
        Map<String, String> env = Map.of("OPENAI_BASE_URL", server.openAiBaseUrl(), "OPENAI_API_KEY", "test-key");
        String[] remote = {"--embedder", "openai", "--model", "text-embedding-3-small", "--quiet", "--json"};

        Path recursive = work.resolve("options-recursive");
        CliProcess first = CliProcess.run(work, env, concat(new String[] {"ingest", "options", "--index", recursive.toString(),
                "--splitter", "recursive", "--separators", "[\"\\n\",\" \"]", "--keep-separator", "end", "--no-strip",
                "--length", "tokens", "--encoding", "o200k_base", "--chunk-size", "100", "--chunk-overlap", "10",
                "--include", "*.txt", "--exclude", "c.txt"}, remote));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(JSON.readTree(first.out()).get("documents_ingested").asInt()).isEqualTo(1); // a.txt only
        assertThat(recorded(recursive)).isEqualTo(SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE).separators(List.of("\n", " "))
                .keepSeparator(dev.parallelrag.split.KeepSeparator.END).stripWhitespace(false).length(SplitterSpec.Unit.TOKENS)
                .encoding("o200k_base").chunkSize(100).chunkOverlap(10).build());
        Files.delete(folder.resolve("a.txt"));
        CliProcess pruned = CliProcess.run(work, env, concat(new String[] {"ingest", "options", "--index", recursive.toString(),
                "--include", "*.txt", "--prune"}, remote));
        assertThat(pruned.exitCode()).as(pruned.err()).isZero();
        assertThat(JSON.readTree(pruned.out()).get("documents_pruned").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(pruned.out()).get("documents_ingested").asInt()).isEqualTo(1); // c.txt, no longer excluded

        Path separator = work.resolve("options-separator");
        CliProcess sep = CliProcess.run(work, env, concat(new String[] {"ingest", "options", "--index", separator.toString(),
                "--splitter", "separator", "--separator", "\\n", "--separator-regex", "--chunk-size", "80"}, remote));
        assertThat(sep.exitCode()).as(sep.err()).isZero();
        assertThat(recorded(separator)).isEqualTo(SplitterSpec.builder(SplitterSpec.Kind.SEPARATOR).separators(List.of("\\n"))
                .separatorRegex(true).chunkSize(80).build());
        Path token = work.resolve("options-token");
        CliProcess tok = CliProcess.run(work, env, concat(new String[] {"ingest", "options", "--index", token.toString(),
                "--splitter", "token", "--strip", "--encoding", "p50k_base", "--chunk-size", "50"}, remote));
        assertThat(tok.exitCode()).as(tok.err()).isZero();
        assertThat(recorded(token)).isEqualTo(SplitterSpec.builder(SplitterSpec.Kind.TOKEN).stripWhitespace(true)
                .encoding("p50k_base").chunkSize(50).build());
    }

    private static SplitterSpec recorded(Path index) {
        try (ParallelRag rag = ParallelRag.builder(index).environment(name -> null).build()) {
            return rag.manifest().orElseThrow().splitter().orElseThrow();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void keywordSearchAndStatsLoadNoModelAndNeedNoKey() throws Exception {
        Path index = work.resolve("openai-embedded");
        Map<String, String> env = Map.of("OPENAI_BASE_URL", server.openAiBaseUrl(), "OPENAI_API_KEY", "test-key");
        CliProcess ingest = CliProcess.run(work, env, "ingest", "sample", "--index", index.toString(), "--embedder", "openai",
                "--model", "text-embedding-3-small", "--quiet");
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();

        CliProcess keyword = CliProcess.run(work, Map.of(), "search", QUERY, "--mode", "keyword", "--json", "--index", index.toString());
        assertThat(keyword.exitCode()).as(keyword.err()).isZero();
        assertThat(JSON.readTree(keyword.out())).isNotEmpty();
        CliProcess stats = CliProcess.run(work, Map.of(), "stats", "--index", index.toString());
        assertThat(stats.exitCode()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("openai/text-embedding-3-small (dimension 64)");
        CliProcess hybrid = CliProcess.run(work, Map.of(), "search", QUERY, "--index", index.toString());
        assertThat(hybrid.exitCode()).isNotZero();
        assertThat(hybrid.err()).contains("OPENAI_API_KEY");

        try (ParallelRag rag = ParallelRag.builder(index).environment(name -> null).build()) {
            assertThat(rag.search(QUERY, 3, SearchMode.KEYWORD)).hasSize(3);
            assertThat(rag.stats().chunks()).isPositive();
            assertThat(rag.embedderLoaded()).isFalse();
            assertThatThrownBy(() -> rag.search(QUERY, 3, SearchMode.HYBRID)).hasMessageContaining("OPENAI_API_KEY");
        }
        try (ParallelRag rag = ParallelRag.open(work.resolve("cli-built-keyword"))) {
            assertThatThrownBy(() -> rag.search(QUERY, 3, SearchMode.KEYWORD)).hasMessageContaining("ingest");
        }
    }

    @Test
    void aLocalIndexIsSearchedByKeywordWithoutLoadingTheModel() throws IOException {
        Path index = work.resolve("local-keyword");
        assertThat(SplitRun.run("ingest", sample.resolve("1934_franklin_d_roosevelt_d.txt").toString(), "--index", index.toString(),
                "--quiet").exitCode()).isZero();
        try (ParallelRag rag = ParallelRag.open(index)) {
            assertThat(rag.search(QUERY, 3, SearchMode.KEYWORD)).hasSize(3);
            assertThat(rag.stats().documents()).isEqualTo(1);
            assertThat(rag.embedderLoaded()).isFalse();
            rag.search(QUERY, 3, SearchMode.VECTOR);
            assertThat(rag.embedderLoaded()).isTrue();
        }
    }

    @Test
    void anIndexOfTheVersionBeforeTheManifestIsReadAndUpgradedByTheNextIngestWithNoFlags() throws IOException {
        Path index = work.resolve("legacy");
        // the previous release's default model, which its legacy keys below name
        assertThat(SplitRun.run("ingest", sample.toString(), "--index", index.toString(), "--model", "all-minilm-l6-v2",
                "--quiet").exitCode()).isZero();
        List<String> before = cliSearchIds(index);
        // what the previous release's CLI recorded, instead of the manifest
        try (LuceneVectorStore store = LuceneVectorStore.open(index)) {
            Map<String, String> legacy = new HashMap<>();
            store.indexMetadata().keySet().stream().filter(k -> !k.startsWith("store.") && !k.equals(IndexManifest.LAST_INGEST))
                    .forEach(k -> legacy.put(k, null));
            legacy.put("cli.embedder", "local");
            legacy.put("cli.embedder_model", "all-minilm-l6-v2");
            legacy.put("model_id", "local/all-minilm-l6-v2");
            legacy.put("splitter", SplitterSpec.defaults().create().toString());
            store.putIndexMetadata(legacy);
            store.commit();
        }
        assertThat(cliSearchIds(index)).isEqualTo(before);
        try (ParallelRag rag = ParallelRag.open(index)) {
            IndexManifest manifest = rag.manifest().orElseThrow();
            assertThat(manifest.legacy()).isTrue();
            assertThat(manifest.embedder().kind()).isEqualTo(EmbedderSpec.LOCAL);
            assertThat(manifest.splitter()).contains(SplitterSpec.defaults()); // rebuilt exactly from its fingerprint
        }
        SplitRun upgrade = SplitRun.run("ingest", sample.toString(), "--index", index.toString(), "--quiet", "--json");
        assertThat(upgrade.exitCode()).as(upgrade.err()).isZero();
        assertThat(JSON.readTree(upgrade.out()).get("chunks_added").asLong()).isZero(); // the same splitter: nothing to redo
        try (ParallelRag rag = ParallelRag.open(index)) {
            assertThat(rag.manifest().orElseThrow().legacy()).isFalse();
            assertThat(rag.stats().indexMetadata()).doesNotContainKeys("cli.embedder", "cli.embedder_model", "model_id", "splitter");
        }
    }

    @Test
    void anIndexBuiltWithTheOldDefaultModelStillAnswersAfterTheDefaultChanged() throws IOException {
        // all-minilm-l6-v2 was the default model before issue 14 made it bge-small-en-v1.5-q; an index built with it
        // records it, and every command with no --model goes on embedding questions (and new files) with it
        Path index = work.resolve("old-default");
        SplitRun ingest = SplitRun.run("ingest", sample.toString(), "--index", index.toString(), "--model",
                OnnxEmbeddingModel.ALL_MINILM_L6_V2, "--quiet");
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();
        List<String> vector;
        List<String> hybrid;
        try (LuceneVectorStore store = LuceneVectorStore.open(index); OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2()) {
            var rag = dev.parallelrag.pipeline.Rag.builder(model, store).build();
            vector = ids(rag.search(QUERY, 4, SearchMode.VECTOR));
            hybrid = ids(rag.search(QUERY, 4, SearchMode.HYBRID));
        }
        assertThat(cliSearchIds(index, "--mode", "vector")).as("the question embedded with the recorded model").isEqualTo(vector);
        assertThat(cliSearchIds(index)).isEqualTo(hybrid);
        SplitRun ask = SplitRun.run("ask", "What did the president say about the public debt?", "--index", index.toString());
        assertThat(ask.exitCode()).as(ask.err()).isZero();
        assertThat(ask.out()).contains("Sources:");
        SplitRun again = SplitRun.run("ingest", sample.toString(), "--index", index.toString(), "--quiet", "--json");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(JSON.readTree(again.out()).get("chunks_added").asLong()).isZero();
        try (ParallelRag rag = ParallelRag.open(index)) {
            assertThat(rag.manifest().orElseThrow().embedder().modelId()).isEqualTo("local/all-minilm-l6-v2");
            assertThat(ids(rag.search(QUERY, 4, SearchMode.VECTOR))).isEqualTo(vector);
        }
    }

    @Test
    void anotherEmbedderForAnIndexWithChunksIsAClearError() throws IOException {
        Path index = work.resolve("local-only");
        assertThat(SplitRun.run("ingest", sample.resolve("1790_george_washington_n.txt").toString(), "--index", index.toString(),
                "--quiet").exitCode()).isZero();
        SplitRun other = SplitRun.run("ingest", sample.toString(), "--index", index.toString(), "--embedder", "openai",
                "--model", "text-embedding-3-small");
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err().strip()).startsWith("parallelrag ingest: ").contains("openai/text-embedding-3-small")
                .contains("local/" + OnnxEmbeddingModel.DEFAULT_MODEL).doesNotContain("\tat ");
        assertThatThrownBy(() -> ParallelRag.builder(index).embedder("local", "all-minilm-l6-v2-q").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("local/all-minilm-l6-v2-q");
    }
}
