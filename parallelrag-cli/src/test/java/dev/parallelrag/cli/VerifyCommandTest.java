package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.testkit.FakeProviderServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, Must show 5, through the CLI in child JVMs: one flipped byte in a segment file of a real index is
 * reported by {@code verify} and by the next {@code ingest}, each naming the file and the fix, with exit code 3;
 * {@code ingest --rebuild} repairs it, after which search answers exactly as an index that was never damaged.
 */
class VerifyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static FakeProviderServer server;
    private static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        server = FakeProviderServer.builder().dimension(64).start();
        env = Map.of("OPENAI_BASE_URL", server.openAiBaseUrl(), "OPENAI_API_KEY", "test-key");
        Path sample = Files.createDirectories(work.resolve("sample"));
        try (Stream<Path> files = Files.list(Path.of("../examples/sample"))) {
            for (Path f : files.toList()) {
                Files.copy(f, sample.resolve(f.getFileName()));
            }
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static CliProcess cli(String... args) throws Exception {
        return CliProcess.run(work, env, args);
    }

    private static JsonNode ingest(String index, String... more) throws Exception {
        String[] args = Stream.concat(Stream.of("ingest", "sample", "--index", index, "--embedder", "compatible",
                "--model", "text-embedding-3-small", "--json"), Stream.of(more)).toArray(String[]::new);
        CliProcess run = cli(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    @Test
    void aFlippedByteIsReportedByVerifyAndIngestAndRepairedByRebuild() throws Exception {
        long chunks = ingest("clean").get("chunks_added").asLong();
        ingest("damaged");
        CliProcess intact = cli("verify", "--index", "damaged");
        assertThat(intact.exitCode()).as(intact.err()).isZero();
        assertThat(intact.out()).contains("is intact").contains(chunks + " chunks");

        Path segment;
        try (Stream<Path> files = Files.list(work.resolve("damaged"))) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".cfs"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x08;
        Files.write(segment, bytes);
        String file = segment.getFileName().toString();

        CliProcess verify = cli("verify", "--index", "damaged");
        assertThat(verify.exitCode()).isEqualTo(CliErrors.CORRUPT);
        assertThat(verify.out()).isEmpty();
        assertThat(verify.err().lines().toList()).hasSize(2).satisfiesExactly(
                problem -> assertThat(problem).startsWith("parallelrag verify: " + file + ": checksum failed"),
                fix -> assertThat(fix).contains("is corrupt").contains("parallelrag ingest --rebuild PATH... --index "));

        CliProcess refused = cli("ingest", "sample", "--index", "damaged");
        assertThat(refused.exitCode()).isEqualTo(CliErrors.CORRUPT);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err().strip()).startsWith("parallelrag ingest: index ").contains(file + ": checksum failed")
                .contains("parallelrag ingest --rebuild PATH... --index ").doesNotContain("permissions").doesNotContain("\tat ");

        server.reset();
        JsonNode rebuilt = ingest("damaged", "--rebuild");
        assertThat(rebuilt.get("chunks_added").asLong()).isEqualTo(chunks);
        assertThat(rebuilt.get("embedder").get("cache_hits").asLong()).as("the embedding cache was kept").isEqualTo(chunks);
        assertThat(server.requestCount("/v1/embeddings")).isZero();

        assertThat(cli("verify", "--index", "damaged").exitCode()).isZero();
        CliProcess repaired = cli("search", "the slave trade", "--index", "damaged", "--k", "5", "--json");
        CliProcess reference = cli("search", "the slave trade", "--index", "clean", "--k", "5", "--json");
        assertThat(repaired.exitCode()).as(repaired.err()).isZero();
        assertThat(JSON.readTree(repaired.out())).hasSize(5).isEqualTo(JSON.readTree(reference.out()));
    }

    @Test
    void verifyWithoutAnIndexIsAFailureThatNamesThePath() {
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = ParallelRagCommand.newCommandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("verify", "--index", work.resolve("nowhere").toString());
        assertThat(exit).isEqualTo(CliErrors.FAILURE);
        assertThat(err.toString().strip()).startsWith("parallelrag verify: no index at ").contains("nowhere");
    }
}
