package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.UserCacheDirectory;
import dev.parallelrag.embed.cache.DiskEmbeddingCache;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import dev.parallelrag.testkit.FakeProviderServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, Must show 5, through {@code parallelrag ingest --embedder openai} in child processes against the
 * testkit: the embedding cache is the user's, so ingesting a folder a second time into a fresh index makes no
 * embedding request, and gives the same index. Each test has a per-user cache directory of its own in its
 * temporary directory ({@link CliProcess}).
 */
class IngestRemoteEmbeddingCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMBEDDINGS = "/embeddings";

    private static FakeProviderServer server;
    private static Map<String, String> env;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        server = FakeProviderServer.builder().dimension(64).start();
        env = Map.of("OPENAI_BASE_URL", server.openAiBaseUrl(), "OPENAI_API_KEY", "test-key");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    @Test
    void aSecondIngestOfTheSameFolderIntoAFreshIndexMakesNoEmbeddingRequest() throws Exception {
        writeFolder(work.resolve("docs"), "speech", 6);

        JsonNode first = ingest(env, "docs", "--index", "first");
        int afterFirst = server.requestCount(EMBEDDINGS);
        long chunks = first.get("chunks_added").asLong();
        assertThat(chunks).isGreaterThan(10);
        assertThat(afterFirst).as("embedding requests of the first run").isPositive();
        assertThat(first.get("embedder").get("cache_misses").asLong()).isEqualTo(chunks);
        assertThat(work.resolve(CliProcess.USER_CACHE).resolve(ParallelRag.EMBEDDING_CACHE_SUBDIRECTORY)
                .resolve(DiskEmbeddingCache.FILE)).isNotEmptyFile();

        JsonNode second = ingest(env, "docs", "--index", "second");
        assertThat(server.requestCount(EMBEDDINGS)).as("embedding requests after the second run").isEqualTo(afterFirst);
        assertThat(second.get("chunks_added").asLong()).isEqualTo(chunks);
        assertThat(second.get("embedder").get("cache_hits").asLong()).isEqualTo(chunks);
        assertThat(second.get("embedder").get("cache_misses").asLong()).isZero();

        // the cached vectors are the provider's: both indexes hold the same chunks and rank and score a query alike
        List<SearchHit> firstHits = search("first");
        assertThat(firstHits).hasSize(8);
        assertThat(search("second")).isEqualTo(firstHits);
    }

    @Test
    void twoIngestsAtOnceShareTheUserCacheAndEveryVectorTheyWroteIsWhole() throws Exception {
        // both folders hold the same shared file, so both processes embed and append its chunks at once
        for (String folder : List.of("a", "b")) {
            writeFolder(work.resolve(folder), folder, 3);
            writeFolder(work.resolve(folder), "shared", 1);
        }
        List<CliProcess> runs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<CliProcess>> started = new ArrayList<>();
            for (String folder : List.of("a", "b")) {
                started.add(pool.submit(() -> ingestRun(env, folder, "--index", "index-" + folder)));
            }
            for (Future<CliProcess> f : started) {
                runs.add(f.get());
            }
        }
        long chunks = 0;
        for (CliProcess run : runs) {
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).isEmpty();
            chunks += JSON.readTree(run.out()).get("chunks_added").asLong();
        }

        server.reset();
        JsonNode again = ingest(env, "a", "b", "--index", "both");
        assertThat(server.requestCount(EMBEDDINGS)).as("every chunk of both runs is in the cache, whole").isZero();
        assertThat(again.get("chunks_added").asLong()).isEqualTo(chunks);
        assertThat(again.get("embedder").get("cache_hits").asLong()).isEqualTo(chunks);
    }

    @Test
    void anUnusableUserCacheLeavesTheIngestWorkingWithOneNoticeButAGivenDirectoryMustWork() throws Exception {
        writeFolder(work.resolve("docs"), "speech", 1);
        Path notADirectory = Files.writeString(work.resolve("a-file"), "in the way of the cache directory");
        Map<String, String> blocked = new HashMap<>(env);
        blocked.put(UserCacheDirectory.ENV, notADirectory.toString());

        CliProcess run = ingestRun(blocked, "docs", "--index", "idx");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err().lines().toList()).singleElement().asString()
                .contains("WARN").contains("embedding cache").contains("memory only").contains(UserCacheDirectory.ENV);
        JsonNode summary = JSON.readTree(run.out());
        assertThat(summary.get("embedder").get("cache_misses").asLong()).isEqualTo(summary.get("chunks_added").asLong());

        CliProcess given = ingestRun(env, "docs", "--index", "idx2", "--embedding-cache", notADirectory.toString());
        assertThat(given.exitCode()).isEqualTo(2);
        assertThat(given.err().strip()).startsWith("parallelrag ingest: --embedding-cache").contains("a-file")
                .doesNotContain("Exception");
    }

    /** {@code parallelrag ingest ARGS --embedder openai ...}: the summary of a run that must succeed. */
    private JsonNode ingest(Map<String, String> environment, String... args) throws Exception {
        CliProcess run = ingestRun(environment, args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private CliProcess ingestRun(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ingest"));
        command.addAll(List.of(args));
        command.addAll(List.of("--embedder", "openai", "--model", "text-embedding-3-small", "--chunk-size", "300",
                "--quiet", "--json"));
        return CliProcess.run(work, environment, command.toArray(String[]::new));
    }

    /** The index, reopened by the library with one call, answers a vector query. */
    private List<SearchHit> search(String index) {
        try (ParallelRag rag = ParallelRag.builder(work.resolve(index)).environment(env::get).build()) {
            return rag.search("the union and the tariff", 8, SearchMode.VECTOR);
        }
    }

    /** {@code count} files of a few paragraphs each, every paragraph distinct. */
    private static void writeFolder(Path dir, String name, int count) throws Exception {
        Files.createDirectories(dir);
        for (int f = 0; f < count; f++) {
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < 6; p++) {
                text.append("Paragraph ").append(p).append(" of ").append(name).append(' ').append(f)
                        .append(": the state of the union, the tariff on iron and the canals that carry grain to the cities.")
                        .append("\n\n");
            }
            Files.writeString(dir.resolve(name + "-" + f + ".txt"), text.toString());
        }
    }
}
