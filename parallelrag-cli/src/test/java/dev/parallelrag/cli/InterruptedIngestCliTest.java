package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import dev.parallelrag.testkit.Latency;
import dev.parallelrag.testkit.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, "SIGTERM finishes cleanly", for {@code ingest}: a child process embedding through the testkit (with
 * latency, so calls are in flight) gets SIGTERM. It exits 143 with the summary, having committed the documents it
 * finished; the same ingest again completes the index, without asking again for a vector it had received, and the
 * index is the one an uninterrupted run builds. The same ingest run again is also how documents that failed in a
 * provider outage are retried: finished documents are skipped, failed ones are embedded and written.
 */
@Timeout(600)
class InterruptedIngestCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ten embedding calls: the pipeline closes a call after 64 documents, and each document here is one chunk. */
    private static final int FILES = 640;

    @TempDir
    Path dir;

    @Test
    void sigtermMidIngestCommitsWhatFinishedAndTheSameIngestCompletesTheIndex() throws Exception {
        Path corpus = notes(FILES);
        Path index = dir.resolve("idx");
        try (FakeProviderServer server = FakeProviderServer.builder().latency(Latency.fixed(Duration.ofMillis(1500))).start()) {
            Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-ingest-stop", "OPENAI_BASE_URL", server.openAiBaseUrl());
            SignalledRun stopped = SignalledRun.run(dir, env, server, 4, "TERM", ingest(corpus, index));

            assertThat(stopped.exitCode()).as(stopped.err()).isEqualTo(CliErrors.TERMINATED);
            JsonNode summary = JSON.readTree(stopped.out());
            int done = summary.get("documents_ingested").asInt();
            int notRun = summary.get("documents_not_run").asInt();
            assertThat(summary.get("interrupted").asBoolean()).isTrue();
            assertThat(notRun).isPositive();
            assertThat(done + notRun).isEqualTo(FILES);
            assertThat(stopped.err()).contains("ingest: interrupted: " + notRun + " files not run")
                    .doesNotContain("Exception").doesNotContain("\tat ");
            Set<String> received = embeddedTexts(server);
            assertThat(received).as("vectors the testkit sent").hasSizeGreaterThanOrEqualTo(done);

            server.reset();
            server.latency(Latency.none());
            CliProcess rerun = CliProcess.run(dir, env, ingest(corpus, index));
            assertThat(rerun.exitCode()).as(rerun.err()).isZero();
            JsonNode second = JSON.readTree(rerun.out());
            assertThat(second.get("documents_unchanged").asInt()).isEqualTo(done);
            assertThat(second.get("documents_ingested").asInt()).isEqualTo(notRun);
            assertThat(second.get("interrupted").asBoolean()).isFalse();
            assertThat(embeddedTexts(server)).as("nothing received was asked for again").doesNotContainAnyElementsOf(received)
                    .hasSize(FILES - received.size());

            Path reference = dir.resolve("reference");
            CliProcess uninterrupted = CliProcess.run(dir, env, ingest(corpus, reference, "--no-embedding-cache"));
            assertThat(uninterrupted.exitCode()).as(uninterrupted.err()).isZero();
            assertThat(IndexContents.of(index)).isEqualTo(IndexContents.of(reference));
        }
    }

    @Test
    void stopGraceZeroCutsOffTheEmbeddingCallsInFlightAndCommitsNothingHalfDone() throws Exception {
        Path corpus = notes(320);
        Path index = dir.resolve("idx");
        // a 3 s answer would arrive within the default 10 s grace, and its 64 documents would be written
        try (FakeProviderServer server = FakeProviderServer.builder().latency(Latency.fixed(Duration.ofSeconds(3))).start()) {
            Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-ingest-stop", "OPENAI_BASE_URL", server.openAiBaseUrl());
            SignalledRun stopped = SignalledRun.run(dir, env, server, 4, "TERM", ingest(corpus, index, "--stop-grace", "0s"));

            assertThat(stopped.exitCode()).as(stopped.err()).isEqualTo(CliErrors.TERMINATED);
            JsonNode summary = JSON.readTree(stopped.out());
            assertThat(summary.get("documents_ingested").asInt()).isZero();
            assertThat(summary.get("documents_not_run").asInt()).isEqualTo(320);
            assertThat(summary.get("documents_failed").asInt()).isZero();
        }
    }

    @Test
    void documentsThatFailedInAnOutageAreIngestedByTheSameIngestOnceTheProviderIsBack() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        for (int i = 0; i < 150; i++) { // three embedding calls of 64, 64 and 22 documents
            Files.writeString(corpus.resolve(String.format("note-%03d.txt", i)), "Note " + i + " of the set"
                    + (i == 70 ? " [outage]" : "") + ".");
        }
        Path index = dir.resolve("idx");
        try (FakeProviderServer server = FakeProviderServer.builder()
                .faults(FaultPlan.onMarker("[outage]", Fault.status(503))).start()) {
            Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-ingest-outage", "OPENAI_BASE_URL", server.openAiBaseUrl());
            CliProcess outage = CliProcess.run(dir, env, ingest(corpus, index, "--max-attempts", "1"));
            assertThat(outage.exitCode()).as(outage.err()).isEqualTo(CliErrors.FAILURE);
            JsonNode first = JSON.readTree(outage.out());
            int failed = first.get("documents_failed").asInt();
            assertThat(failed).as("the documents of the call that met the outage").isEqualTo(64);
            assertThat(first.get("documents_ingested").asInt()).isEqualTo(150 - failed);

            server.faults(FaultPlan.none());
            CliProcess rerun = CliProcess.run(dir, env, ingest(corpus, index));
            assertThat(rerun.exitCode()).as(rerun.err()).isZero();
            JsonNode second = JSON.readTree(rerun.out());
            assertThat(second.get("documents_ingested").asInt()).isEqualTo(failed);
            assertThat(second.get("documents_unchanged").asInt()).isEqualTo(150 - failed);

            Path reference = dir.resolve("reference");
            assertThat(CliProcess.run(dir, env, ingest(corpus, reference, "--no-embedding-cache")).exitCode()).isZero();
            assertThat(IndexContents.of(index)).isEqualTo(IndexContents.of(reference));
        }
    }

    /** A folder of {@code n} one-chunk notes, each with its own text. */
    private Path notes(int n) throws java.io.IOException {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        for (int i = 0; i < n; i++) {
            Files.writeString(corpus.resolve(String.format("note-%03d.txt", i)), "Note " + i + " of the set: the reading of"
                    + " meter " + (i * 7919 % 1000) + " was taken on day " + (i % 365) + ".");
        }
        return corpus;
    }

    /** The texts of the embedding requests the testkit answered. */
    private static Set<String> embeddedTexts(FakeProviderServer server) throws Exception {
        Set<String> texts = new TreeSet<>();
        for (RecordedRequest r : server.requests()) {
            if (r.outcome().equals("ok")) {
                JSON.readTree(r.body()).get("input").forEach(t -> texts.add(t.asText()));
            }
        }
        return texts;
    }

    private static String[] ingest(Path corpus, Path index, String... options) {
        List<String> args = new ArrayList<>(List.of("ingest", corpus.toString(), "--index", index.toString(),
                "--embedder", "openai", "--model", "text-embedding-3-small", "--chunk-size", "300", "--quiet", "--json"));
        args.addAll(List.of(options));
        return args.toArray(String[]::new);
    }
}
