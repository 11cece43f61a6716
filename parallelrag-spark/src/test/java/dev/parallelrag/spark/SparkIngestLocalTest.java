package dev.parallelrag.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.pipeline.IngestEvent;
import dev.parallelrag.pipeline.IngestListener;
import dev.parallelrag.pipeline.IngestSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local[2]} runs of the job against the library's single-process ingest of the same folder, on a real
 * PostgreSQL. The master is {@code local[2,2]}: two task slots, and a task may fail once and be retried (in local mode
 * Spark takes the retry count from the master URL, not from {@code spark.task.maxFailures}).
 */
class SparkIngestLocalTest {

    @TempDir
    static Path corpus;

    private static SparkSession spark;
    private static Map<String, String> reference;
    private static IngestSummary referenceSummary;

    /** Attempts that the retry test's hook failed on purpose; in local mode the tasks run in this JVM. */
    static final AtomicInteger FORCED_FAILURES = new AtomicInteger();

    @BeforeAll
    static void setUp() {
        String table = TestPostgres.freshTable("spark_ref");
        TestCorpus.write(corpus, 6, 2500);
        referenceSummary = SingleProcessIngest.into(table, corpus);
        reference = TestPostgres.chunks(table);
        spark = SparkSession.builder().master("local[2,2]").appName("SparkIngestLocalTest")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
        ExecutorResources.closeAll();
    }

    @Test
    void localTwoSlotsGiveTheSameChunkIdsAndTextsAsTheSingleProcessIngest() {
        String table = TestPostgres.freshTable("spark_local");
        SparkIngestReport report = SparkIngest.run(spark, settings(table).partitions(3).build());

        assertThat(reference).hasSizeGreaterThan(6); // several chunks per file: the comparison has something to compare
        assertThat(TestPostgres.chunks(table)).isEqualTo(reference);
        IngestSummary s = report.summary();
        assertThat(s.chunksAdded()).isEqualTo(referenceSummary.chunksAdded()).isEqualTo(reference.size());
        assertThat(s.files()).isEqualTo(referenceSummary.files()).isEqualTo(7);
        assertThat(s.documentsIngested()).isEqualTo(6);
        assertThat(report.partitions()).isEqualTo(3);
        assertThat(report.toText()).contains("chunks: " + reference.size() + " added").contains("spark: 3 tasks")
                .contains("embed").contains("chunks/s");
        // the failed file is reported, kept in the failures table with its error, and the job still succeeded
        assertThat(s.failures()).singleElement().satisfies(f -> assertThat(f.source()).endsWith(TestCorpus.BAD_FILE));
        assertThat(TestPostgres.query("select source, stage from " + report.failuresTable()))
                .containsOnlyKeys(s.failures().getFirst().source()).containsValue("read");

        // a second run, of the files the globs leave (1790-1793), finds every chunk stored: nothing is embedded again
        SparkIngestReport again = SparkIngest.run(spark, settings(table).partitions(2).include(List.of("179[0-4]_*"))
                .exclude(List.of("1794_*")).build());
        assertThat(again.summary().files()).isEqualTo(4);
        assertThat(again.summary().chunksAdded()).isZero();
        assertThat(again.summary().documentsUnchanged()).isEqualTo(4);
        assertThat(TestPostgres.chunks(table)).isEqualTo(reference);
    }

    @Test
    void aTaskThatFailsAfterWritingAndIsRetriedLeavesExactlyTheUndisturbedChunkSet() {
        String table = TestPostgres.freshTable("spark_retry");
        FORCED_FAILURES.set(0);
        SparkIngestReport report = SparkIngest.run(spark, settings(table).partitions(2)
                .listeners(new FailFirstAttemptAfterOneDocument()).build());

        assertThat(FORCED_FAILURES).hasValue(2); // each task's first attempt wrote a document, then failed
        assertThat(TestPostgres.chunks(table)).isEqualTo(reference);
        // the retries found the documents their failed attempts had written and did not embed them again
        assertThat(report.summary().chunksSkipped()).isPositive();
        assertThat(report.summary().chunksAdded() + report.summary().chunksSkipped()).isEqualTo(reference.size());
    }

    private static SparkIngestSettings.Builder settings(String table) {
        return SparkIngestSettings.builder(TestPostgres.url()).paths(List.of(corpus.toString())).table(table);
    }

    /** Fails attempt 0 of every task right after its first document is written (and committed); retries run clean. */
    static final class FailFirstAttemptAfterOneDocument implements TaskListeners {
        @Override
        public IngestListener forTask(int partition, int attempt) {
            return event -> {
                if (attempt == 0 && event instanceof IngestEvent.DocumentWritten) {
                    FORCED_FAILURES.incrementAndGet();
                    throw new IllegalStateException("test hook: attempt 0 of task " + partition + " fails after a write");
                }
            };
        }
    }
}
