package dev.parallelrag.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.pipeline.IngestEvent;
import dev.parallelrag.pipeline.IngestListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once claim on a real cluster: a standalone Master and two Workers (separate JVMs on 127.0.0.1), one of
 * them killed with SIGKILL, with its executor, while the job runs and after tasks have written chunks. Spark reruns the
 * lost tasks on the other worker; the table must end with exactly the chunks of an undisturbed single-process ingest
 * of the same folder: none missing, none extra (and none twice: the chunk id is the primary key).
 */
class WorkerKillTest {

    @TempDir
    Path tmp;

    @Test
    void killingAWorkerMidJobLeavesExactlyTheUndisturbedChunkSet() throws Exception {
        Path corpus = TestCorpus.write(Files.createDirectories(tmp.resolve("corpus")), 8, 2500);
        String referenceTable = TestPostgres.freshTable("spark_kill_ref");
        SingleProcessIngest.into(referenceTable, corpus);
        Map<String, String> reference = TestPostgres.chunks(referenceTable);
        String table = TestPostgres.freshTable("spark_kill");

        try (StandaloneCluster cluster = new StandaloneCluster(Files.createDirectories(tmp.resolve("cluster")), 2)) {
            SparkSession spark = SparkSession.builder().master(cluster.masterUrl()).appName("WorkerKillTest")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.executor.cores", "1").config("spark.cores.max", "2").config("spark.executor.memory", "1g")
                    .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    .config("spark.executor.extraJavaOptions", StandaloneCluster.jvmFlags())
                    .config("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1")
                    .config("spark.executorEnv.PARALLELRAG_CACHE_DIR", System.getenv().getOrDefault("PARALLELRAG_CACHE_DIR", tmp.resolve("cache").toString()))
                    .config("spark.task.maxFailures", "4")
                    .getOrCreate();
            try {
                awaitExecutors(spark, 2);
                SparkIngestSettings settings = SparkIngestSettings.builder(TestPostgres.url()).paths(List.of(corpus.toString()))
                        .table(table).partitions(8).listeners(new SlowWrites()).build();
                CompletableFuture<SparkIngestReport> job = CompletableFuture.supplyAsync(() -> SparkIngest.run(spark, settings));

                long written = awaitFirstWrites(table, job);
                assertThat(job).as("the job is still running when the worker is killed").isNotDone();
                cluster.kill(1);

                SparkIngestReport report = job.get(10, TimeUnit.MINUTES);
                assertThat(written).isPositive().isLessThan(reference.size());
                assertThat(TestPostgres.chunks(table)).isEqualTo(reference);
                assertThat(TestPostgres.count(table)).isEqualTo(reference.size());
                assertThat(report.summary().documentsFailed()).isEqualTo(1); // the corpus's broken file, nothing else
            } finally {
                spark.stop();
            }
        }
    }

    private static void awaitExecutors(SparkSession spark, int executors) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (spark.sparkContext().getExecutorMemoryStatus().size() < executors + 1) { // the driver counts as one
            assertThat(System.nanoTime()).as("both workers' executors registered within 3 minutes").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Waits until some chunks are in the table, and returns how many. */
    private static long awaitFirstWrites(String table, CompletableFuture<?> job) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            long n = TestPostgres.count(table);
            if (n > 0 || job.isDone()) {
                return n;
            }
            assertThat(System.nanoTime()).as("chunks written within 5 minutes").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Holds each task for 2 s after each document it writes, so that the job is still running when a worker dies. */
    static final class SlowWrites implements TaskListeners {
        @Override
        public IngestListener forTask(int partition, int attempt) {
            return event -> {
                if (event instanceof IngestEvent.DocumentWritten) {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }
    }
}
