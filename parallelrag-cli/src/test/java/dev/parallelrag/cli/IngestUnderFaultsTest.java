package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.cli.IndexedChunks.IndexedChunk;
import dev.parallelrag.store.Vectors;
import dev.parallelrag.stress.GeneratedText;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.Latency;
import dev.parallelrag.testkit.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, the fault and stress suite: 2,000 generated documents ingested by {@code parallelrag ingest --embedder
 * openai} in a child process against the testkit, with 20 % of embedding requests failing (500, 503, 429 with
 * {@code Retry-After}, connection resets, stalls past the attempt timeout; each request body at most twice, so the
 * faults are transient) and, once half the requests of a fault-free run have gone by, a 10 s outage in which every
 * request fails. The index is then read chunk by chunk with Lucene and compared with a fault-free run of the same
 * corpus: no chunk lost, none duplicated, none misaligned (same ids, the same text per id, and each chunk's vector
 * the fault-free run's and the testkit's vector for its own text). The figures go to stdout and
 * {@code target/stress/ingest-under-faults.txt}, the faulted run's request timeline to
 * {@code target/stress/ingest-under-faults-requests.log}.
 *
 * <p>The testkit answers in 300-700 ms, as a hosted embedding API does for a few hundred texts. The ingest sends a
 * request per 128 documents, up to 4 at once, but on a loaded machine its requests often follow one another: this
 * suite found that such a request, alone when its retries ran out in the outage, failed its 128 documents at once
 * (see {@code OutageVerdictTest}).
 */
@Timeout(600)
class IngestUnderFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DOCUMENTS = 2_000;
    private static final int DIMENSION = 64;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final String EMBEDDINGS = "/embeddings";

    @TempDir
    Path work;

    @Test
    void twoThousandDocumentsThroughFaultsAndATenSecondOutageLoseDuplicateAndMisalignNothing() throws Exception {
        new GeneratedText(20261201L).writeCorpus(work.resolve("corpus"), DOCUMENTS, 2, 9);
        FaultPlan transientFaults = FaultPlan.rate(0.2, 42, Fault.status(500), Fault.status(503), Fault.rateLimited(1),
                Fault.connectionReset(), Fault.stall(Duration.ofSeconds(8))).maxPerBody(2);
        FaultPlan outage = FaultPlan.rate(1.0, 43, Fault.status(503), Fault.connectionReset());
        try (FakeProviderServer server = FakeProviderServer.builder().dimension(DIMENSION)
                .latency(Latency.uniform(Duration.ofMillis(300), Duration.ofMillis(700), 7)).start()) {
            Map<String, String> env = Map.of("OPENAI_BASE_URL", server.openAiBaseUrl(), "OPENAI_API_KEY", "sk-faults");

            long t0 = System.nanoTime();
            JsonNode reference = summary(CliProcess.run(work, env, ingest("reference")));
            double referenceSeconds = (System.nanoTime() - t0) / 1e9;
            int referenceRequests = server.requestCount(EMBEDDINGS);
            server.reset();

            server.faults(transientFaults);
            Path out = work.resolve("faulted.out");
            Path err = work.resolve("faulted.err");
            long t1 = System.nanoTime();
            Process faulted = CliProcess.builder(work, env, List.of(), ingest("faulted"))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean outageRan = awaitRequests(server, faulted, Math.max(1, referenceRequests / 2));
            if (outageRan) {
                server.faults(outage);
                Thread.sleep(OUTAGE);
                server.faults(transientFaults);
            }
            assertThat(faulted.waitFor(5, TimeUnit.MINUTES)).as("the faulted ingest ended").isTrue();
            double faultedSeconds = (System.nanoTime() - t1) / 1e9;
            CliProcess faultedRun = new CliProcess(faulted.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            JsonNode summary = JSON.readTree(faultedRun.out());
            assertThat(outageRan).as("the outage began while the ingest ran (half of %d requests)", referenceRequests).isTrue();

            List<IndexedChunk> expected = IndexedChunks.read(work.resolve("reference"));
            List<IndexedChunk> actual = IndexedChunks.read(work.resolve("faulted"));
            Comparison c = compare(expected, actual);
            Map<String, Long> outcomes = server.requests().stream().filter(r -> r.path().contains(EMBEDDINGS))
                    .collect(Collectors.groupingBy(RecordedRequest::outcome, TreeMap::new, Collectors.counting()));
            String report = String.format(Locale.ROOT, "ingest under faults: %d documents, %d chunks; fault-free run %d embedding "
                            + "requests in %.1f s; faulted run %d requests in %.1f s (10 s outage from request %d), outcomes %s; "
                            + "documents failed %d (exit %d); lost %d, duplicated %d, misaligned %d, vectors not the testkit's %d%n",
                    DOCUMENTS, expected.size(),
                    referenceRequests, referenceSeconds, outcomes.values().stream().mapToLong(Long::longValue).sum(),
                    faultedSeconds, referenceRequests / 2, outcomes, summary.path("documents_failed").asInt(), faultedRun.exitCode(),
                    c.lost().size(), c.duplicated().size(),
                    c.misaligned().size(), c.notTheTestkits().size());
            Path reports = Files.createDirectories(Path.of("target", "stress"));
            Files.writeString(reports.resolve("ingest-under-faults.txt"), report);
            // each request of the faulted run: the timeline to read when the comparison fails
            Files.write(reports.resolve("ingest-under-faults-requests.log"), server.requests().stream().map(r -> r.sequence()
                    + " " + r.received() + " " + r.outcome() + " body " + Integer.toHexString(r.body().hashCode())).toList());
            System.out.print(report);

            assertThat(faultedRun.exitCode()).as(faultedRun.err()).isZero();
            assertThat(reference.get("documents_failed").asInt()).isZero();
            assertThat(expected).hasSize(reference.get("chunks_added").asInt()).hasSizeGreaterThan(DOCUMENTS);
            assertThat(summary.get("documents_failed").asInt()).as(faultedRun.err()).isZero();
            assertThat(summary.get("chunks_added").asLong()).isEqualTo(expected.size());
            assertThat(outcomes.keySet()).as("the faults happened").contains("status 500", "status 503", "status 429",
                    "connection_reset", "stall");
            assertThat(c.lost()).as("chunks lost").isEmpty();
            assertThat(c.duplicated()).as("chunks stored twice").isEmpty();
            assertThat(c.unexpected()).as("chunks the fault-free run does not have").isEmpty();
            assertThat(c.misaligned()).as("chunks whose text or vector differs from the fault-free run's").isEmpty();
            assertThat(c.notTheTestkits()).as("chunks whose vector is not the embedding of their own text").isEmpty();
        }
    }

    /** What differs between two indexes of the same corpus, by chunk id. */
    record Comparison(Set<String> lost, Set<String> duplicated, Set<String> unexpected, Set<String> misaligned,
                      Set<String> notTheTestkits) {
    }

    static Comparison compare(List<IndexedChunk> expected, List<IndexedChunk> actual) {
        Map<String, IndexedChunk> want = expected.stream().collect(Collectors.toMap(IndexedChunk::id, Function.identity()));
        Map<String, IndexedChunk> got = new HashMap<>();
        Set<String> duplicated = new HashSet<>();
        for (IndexedChunk chunk : actual) {
            if (got.putIfAbsent(chunk.id(), chunk) != null) {
                duplicated.add(chunk.id());
            }
        }
        Set<String> lost = new HashSet<>(want.keySet());
        lost.removeAll(got.keySet());
        Set<String> unexpected = new HashSet<>(got.keySet());
        unexpected.removeAll(want.keySet());
        Set<String> misaligned = new HashSet<>();
        Set<String> notTheTestkits = new HashSet<>();
        for (IndexedChunk chunk : got.values()) {
            IndexedChunk reference = want.get(chunk.id());
            if (reference != null && !(chunk.text().equals(reference.text()) && chunk.documentId().equals(reference.documentId())
                    && Arrays.equals(chunk.vector(), reference.vector()))) {
                misaligned.add(chunk.id());
            }
            if (!closeTo(chunk.vector(), Vectors.normalized(FakeContent.embedding(chunk.text(), DIMENSION)))) {
                notTheTestkits.add(chunk.id());
            }
        }
        return new Comparison(lost, duplicated, unexpected, misaligned, notTheTestkits);
    }

    private static boolean closeTo(float[] a, float[] b) {
        if (a == null || a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > 1e-6) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the server has seen {@code count} embedding requests; false if the process ended first. */
    private static boolean awaitRequests(FakeProviderServer server, Process process, int count) throws InterruptedException {
        while (server.requestCount(EMBEDDINGS) < count) {
            if (!process.isAlive()) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static String[] ingest(String index) {
        List<String> args = new ArrayList<>(List.of("ingest", "corpus", "--index", index, "--embedder", "openai", "--model",
                "text-embedding-3-small", "--chunk-size", "300", "--chunk-overlap", "50", "--no-embedding-cache",
                "--max-attempts", "4", "--timeout", "3s", "--breaker-open", "2s", "--quiet", "--json"));
        return args.toArray(String[]::new);
    }

    private static JsonNode summary(CliProcess run) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }
}
