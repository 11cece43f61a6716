package dev.parallelrag.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.engine.DocumentPage;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.ConflictException;
import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.NotFoundException;
import dev.parallelrag.error.RateLimitedException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Document;
import dev.parallelrag.pipeline.PacedEmbeddingModel;
import dev.parallelrag.split.SplitterSpec;
import dev.parallelrag.store.IntegrityReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest jobs over a real engine on the Lucene store (the default index), with a deterministic embedder whose pace
 * the test sets: every file's state through to its end, idempotent resubmits, cancel, and each bound of
 * {@link IngestJobsConfig} taking effect.
 */
class IngestJobsTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private PacedEmbeddingModel model = new PacedEmbeddingModel(32, 4, Duration.ZERO);

    private ParallelRag engine() {
        return engine("index");
    }

    /** An engine on its own index in {@code name}, embedding with the current {@link #model}. */
    private ParallelRag engine(String name) {
        ParallelRag rag = ParallelRag.builder(dir.resolve(name)).embeddingModel(model).embeddingCache(false)
                .splitter(SplitterSpec.builder(SplitterSpec.Kind.RECURSIVE).chunkSize(200).chunkOverlap(0).build()).build();
        open.add(rag);
        return rag;
    }

    private IngestJobs jobs(ParallelRag rag, IngestJobsConfig config) {
        IngestJobs jobs = new IngestJobs(rag, config);
        open.add(jobs);
        return jobs;
    }

    /** {@code n} files of a few chunks each, named {@code prefix-NN.txt}, under their names as sources. */
    private JobRequest files(String prefix, int n) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("in-" + prefix));
        JobRequest.Builder request = JobRequest.builder();
        for (int i = 0; i < n; i++) {
            StringBuilder text = new StringBuilder();
            for (int s = 0; s < 12; s++) {
                text.append("File ").append(prefix).append(' ').append(i).append(" says thing ").append(s).append(". ");
            }
            String name = String.format("%s-%02d.txt", prefix, i);
            request.file(Files.writeString(folder.resolve(name), text), name);
        }
        return request.build();
    }

    /** Reads the job's events until it ends. */
    private static List<JobEvent> eventsToEnd(IngestJobs jobs, String id) throws InterruptedException {
        List<JobEvent> all = new ArrayList<>();
        long deadline = System.nanoTime() + LONG.toNanos();
        while (System.nanoTime() < deadline) {
            List<JobEvent> next = jobs.events(id, all.size(), Duration.ofSeconds(1));
            all.addAll(next);
            if (!all.isEmpty() && all.getLast() instanceof JobEvent.JobChanged c && c.state().ended()) {
                return all;
            }
        }
        throw new AssertionError("job " + id + " did not end in " + LONG);
    }

    private static JobSnapshot awaitEnd(IngestJobs jobs, String id) throws InterruptedException {
        eventsToEnd(jobs, id);
        return jobs.job(id);
    }

    private static void awaitState(IngestJobs jobs, String id, JobState state) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (jobs.job(id).state() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " never reached " + state + ": " + jobs.job(id).state());
            }
            Thread.sleep(5);
        }
    }

    private static Map<String, List<FileState>> statesPerFile(List<JobEvent> events) {
        Map<String, List<FileState>> states = new LinkedHashMap<>();
        for (JobEvent e : events) {
            if (e instanceof JobEvent.FileChanged f) {
                states.computeIfAbsent(f.file().source(), k -> new ArrayList<>()).add(f.file().state());
            }
        }
        return states;
    }

    @Test
    void everyFileGoesFromQueuedThroughReadingAndEmbeddingToStored() throws Exception {
        ParallelRag rag = engine();
        IngestJobs jobs = jobs(rag, IngestJobsConfig.defaults());
        JobRequest request = JobRequest.builder().text(new Document("note-1", "A note about lighthouses. ".repeat(20),
                Map.of("lang", "en"))).build();
        List<JobRequest> both = List.of(files("a", 20), request);

        List<String> ids = new ArrayList<>();
        for (JobRequest r : both) {
            ids.add(jobs.submit(r));
        }
        List<JobEvent> events = eventsToEnd(jobs, ids.get(0));
        awaitEnd(jobs, ids.get(1));

        Map<String, List<FileState>> states = statesPerFile(events);
        assertThat(states).hasSize(20);
        states.values().forEach(s -> assertThat(s).containsExactly(FileState.QUEUED, FileState.READING,
                FileState.EMBEDDING, FileState.STORED));
        assertThat(events).filteredOn(JobEvent.JobChanged.class::isInstance).map(e -> ((JobEvent.JobChanged) e).state())
                .containsExactly(JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED);
        assertThat(events).extracting(JobEvent::sequence).isSorted().doesNotHaveDuplicates().startsWith(1L);

        JobSnapshot done = jobs.job(ids.get(0));
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.counts().in(FileState.STORED)).isEqualTo(20);
        assertThat(done.counts().chunksAdded()).isPositive().isEqualTo(rag.documents(1, 100).documents().stream()
                .filter(d -> d.id().startsWith("a-")).mapToLong(DocumentPage.IndexedDocument::chunks).sum());
        assertThat(done.files()).extracting(FileStatus::source).startsWith("a-00.txt", "a-01.txt");
        assertThat(done.summary()).hasValueSatisfying(s -> assertThat(s.documentsIngested()).isEqualTo(20));
        assertThat(rag.documents(1, 100).documents()).extracting(DocumentPage.IndexedDocument::id).contains("a-00.txt",
                "a-19.txt", "note-1");
        assertThat(rag.search("lighthouses", 1, dev.parallelrag.store.SearchMode.KEYWORD).getFirst().metadata())
                .containsEntry("lang", "en");
    }

    @Test
    void resubmittingIdenticalContentStoresEveryFileAndAddsNoChunk() throws Exception {
        ParallelRag rag = engine();
        IngestJobs jobs = jobs(rag, IngestJobsConfig.defaults());
        JobRequest request = files("b", 6);
        awaitEnd(jobs, jobs.submit(request));
        long chunks = rag.stats().chunks();
        int callsBefore = model.calls();

        JobSnapshot again = awaitEnd(jobs, jobs.submit(request));

        assertThat(again.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(again.counts().in(FileState.STORED)).isEqualTo(6);
        assertThat(again.counts().chunksAdded()).isZero();
        assertThat(again.summary().orElseThrow().documentsUnchanged()).isEqualTo(6);
        assertThat(model.calls()).isEqualTo(callsBefore);
        assertThat(rag.stats().chunks()).isEqualTo(chunks);
    }

    @Test
    void aFileThatCannotBeReadFailsWithItsTypedErrorAndTheOthersAreStored() throws Exception {
        ParallelRag rag = engine();
        IngestJobs jobs = jobs(rag, IngestJobsConfig.defaults());
        Path empty = Files.writeString(dir.resolve("empty.txt"), "   ");
        Path good = Files.writeString(dir.resolve("good.txt"), "Good text about rivers. ".repeat(10));
        Path missing = dir.resolve("gone.txt");
        JobRequest request = JobRequest.builder().file(empty, "empty.txt").file(missing, "gone.txt").file(good, "good.txt")
                .build();

        JobSnapshot done = awaitEnd(jobs, jobs.submit(request));

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.counts().in(FileState.FAILED)).isEqualTo(2);
        assertThat(done.files()).extracting(FileStatus::state).containsExactly(FileState.FAILED, FileState.FAILED,
                FileState.STORED);
        assertThat(done.files().get(0).failure().orElseThrow().kind()).isEqualTo(ErrorKind.VALIDATION);
        assertThat(done.files().get(1).failure().orElseThrow().stage()).isEqualTo("read");
        assertThat(done.files().get(1).failure().orElseThrow().message()).contains("gone.txt");
        assertThat(done.files().get(2).failure()).isEmpty();
    }

    @Test
    void cancelStopsARunningJobWithinASecondKeepsWhatItStoredAndTheSameJobAgainCompletesIt() throws Exception {
        model = new PacedEmbeddingModel(32, 2, Duration.ofMillis(40));
        ParallelRag rag = engine();
        IngestJobs jobs = jobs(rag, IngestJobsConfig.defaults());
        JobRequest request = files("c", 40);
        String id = jobs.submit(request);
        long deadline = System.nanoTime() + LONG.toNanos();
        while (jobs.job(id).counts().in(FileState.STORED) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        long t0 = System.nanoTime();
        JobSnapshot cancelling = jobs.cancel(id);
        JobSnapshot cancelled = awaitEnd(jobs, id);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(cancelling.state()).isEqualTo(JobState.RUNNING);
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        int stored = cancelled.counts().in(FileState.STORED);
        assertThat(stored).isBetween(3, 39);
        assertThat(cancelled.counts().in(FileState.NOT_RUN)).isEqualTo(40 - stored);
        assertThat(took).as("cancel to end, measured %s", took).isLessThan(Duration.ofSeconds(10));
        assertThat(rag.documents(1, 100).total()).isEqualTo(stored);
        assertThat(ParallelRag.verify(dir.resolve("index")).intact()).isTrue();
        System.out.printf("ingest job cancel: %d of 40 files stored, ended %d ms after the cancel%n", stored,
                took.toMillis());

        JobSnapshot again = awaitEnd(jobs, jobs.submit(request));

        assertThat(again.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(again.counts().in(FileState.STORED)).isEqualTo(40);
        assertThat(again.summary().orElseThrow().documentsUnchanged()).isEqualTo(stored);
        IntegrityReport report = ParallelRag.verify(dir.resolve("index"));
        assertThat(report.intact()).isTrue();
        assertThat(rag.documents(1, 100).total()).isEqualTo(40);
        long perFile = rag.documents(1, 100).documents().getFirst().chunks();
        assertThat(rag.documents(1, 100).documents()).allSatisfy(d -> assertThat(d.chunks()).isEqualTo(perFile));
        assertThat(rag.stats().chunks()).isEqualTo(40 * perFile);
    }

    @Test
    void aQueuedJobCancelledEndsAtOnceWithEveryFileNotRun() throws Exception {
        ParallelRag rag = engine();
        IngestJobs jobs = jobs(rag, IngestJobsConfig.builder().maxRunningJobs(1).build());
        model.holdCalls();
        String first = jobs.submit(files("d", 2));
        String second = jobs.submit(files("e", 3));
        assertThat(jobs.job(second).state()).isEqualTo(JobState.QUEUED);

        JobSnapshot cancelled = jobs.cancel(second);

        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.files()).extracting(FileStatus::state).containsOnly(FileState.NOT_RUN);
        assertThatThrownBy(() -> jobs.cancel(second)).isInstanceOf(ConflictException.class).hasMessageContaining("ended");
        model.open();
        assertThat(awaitEnd(jobs, first).state()).isEqualTo(JobState.SUCCEEDED);
        assertThatThrownBy(() -> jobs.cancel("no-such-job")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no-such-job");
        assertThatThrownBy(() -> jobs.job("no-such-job")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void maxRunningJobsBoundsTheJobsRunningAtOnce() throws Exception {
        for (int max : new int[] {1, 2}) {
            model = new PacedEmbeddingModel(32, 4, Duration.ZERO);
            model.holdCalls();
            IngestJobs jobs = jobs(engine("index-" + max), IngestJobsConfig.builder().maxRunningJobs(max).build());
            String a = jobs.submit(files("r" + max + "a", 1));
            String b = jobs.submit(files("r" + max + "b", 1));
            awaitState(jobs, a, JobState.RUNNING);

            assertThat(jobs.job(b).state()).as("maxRunningJobs %d", max)
                    .isEqualTo(max == 1 ? JobState.QUEUED : JobState.RUNNING);
            model.open();
            awaitEnd(jobs, a);
            assertThat(awaitEnd(jobs, b).state()).isEqualTo(JobState.SUCCEEDED);
        }
    }

    @Test
    void aJobWaitsWhileARunningJobWritesOneOfItsDocumentsAndALaterJobPassesIt() throws Exception {
        ParallelRag rag = engine();
        IngestJobs jobs = jobs(rag, IngestJobsConfig.builder().maxRunningJobs(2).build());
        model.holdCalls();
        String first = jobs.submit(files("f", 2));
        String sameDocuments = jobs.submit(files("f", 2));
        String other = jobs.submit(files("g", 1));
        awaitState(jobs, other, JobState.RUNNING);

        assertThat(jobs.job(first).state()).isEqualTo(JobState.RUNNING);
        assertThat(jobs.job(sameDocuments).state()).isEqualTo(JobState.QUEUED);
        model.open();
        assertThat(awaitEnd(jobs, sameDocuments).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aSubmitBeyondMaxQueuedJobsIsRefusedAsRateLimitedWithARetryAfter() throws Exception {
        ParallelRag rag = engine();
        IngestJobs jobs = jobs(rag, IngestJobsConfig.builder().maxRunningJobs(1).maxQueuedJobs(1).build());
        model.holdCalls();
        jobs.submit(files("h", 1));
        jobs.submit(files("i", 1));

        assertThatThrownBy(() -> jobs.submit(files("j", 1))).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).contains(IngestJobs.QUEUE_FULL_RETRY_AFTER))
                .hasMessageContaining("maxQueuedJobs 1");
        model.open();
    }

    @Test
    void aJobOverMaxFilesPerJobIsRefused() throws Exception {
        IngestJobs jobs = jobs(engine(), IngestJobsConfig.builder().maxFilesPerJob(3).build());
        String ok = jobs.submit(files("k", 3));

        assertThatThrownBy(() -> jobs.submit(files("l", 4))).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo("documents")).hasMessageContaining("maxFilesPerJob 3");
        awaitEnd(jobs, ok);
    }

    @Test
    void keepFinishedForgetsTheOldestEndedJobBeyondIt() throws Exception {
        IngestJobs jobs = jobs(engine(), IngestJobsConfig.builder().keepFinished(1).build());
        String first = jobs.submit(files("m", 1));
        awaitEnd(jobs, first);
        String second = jobs.submit(files("n", 1));
        awaitEnd(jobs, second);

        assertThatThrownBy(() -> jobs.job(first)).isInstanceOf(NotFoundException.class);
        assertThat(jobs.job(second).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(jobs.jobs()).extracting(JobSnapshot::id).containsExactly(second);
    }

    @Test
    void keepFinishedForForgetsAJobThatEndedLongerAgo() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T12:00:00Z"));
        InstantSource clock = now::get;
        IngestJobs jobs = new IngestJobs(engine(), IngestJobsConfig.builder().keepFinishedFor(Duration.ofMinutes(10))
                .build(), clock);
        open.add(jobs);
        String id = jobs.submit(files("o", 1));
        awaitEnd(jobs, id);

        now.set(now.get().plus(Duration.ofMinutes(9)));
        assertThat(jobs.job(id).state()).isEqualTo(JobState.SUCCEEDED);
        now.set(now.get().plus(Duration.ofMinutes(2)));
        assertThatThrownBy(() -> jobs.job(id)).isInstanceOf(NotFoundException.class).hasMessageContaining(id);
    }

    @Test
    void stopGraceLetsACallInFlightFinishOrCutsItOff() throws Exception {
        for (Duration grace : List.of(Duration.ZERO, Duration.ofSeconds(30))) {
            model = new PacedEmbeddingModel(32, 4, Duration.ZERO);
            model.holdCalls();
            IngestJobs jobs = jobs(engine("index-" + grace.toSeconds()),
                    IngestJobsConfig.builder().stopGrace(grace).build());
            String id = jobs.submit(files("p" + grace.toSeconds(), 1));
            long deadline = System.nanoTime() + LONG.toNanos();
            while (model.waiting() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }

            jobs.cancel(id);
            if (grace.isZero()) {
                assertThat(awaitEnd(jobs, id).state()).isEqualTo(JobState.CANCELLED);
                assertThat(model.interrupted()).as("cut off at once").isEqualTo(1);
            } else {
                Thread.sleep(200);
                assertThat(jobs.job(id).state()).as("the call in flight may finish").isEqualTo(JobState.RUNNING);
                model.open();
                JobSnapshot done = awaitEnd(jobs, id);
                assertThat(model.interrupted()).isZero();
                assertThat(done.counts().in(FileState.STORED)).isEqualTo(1);
            }
        }
    }

    @Test
    void deleteDocumentRemovesItRefusesWhileAJobWritesItAndReportsAnUnknownOne() throws Exception {
        ParallelRag rag = engine();
        IngestJobs jobs = jobs(rag, IngestJobsConfig.defaults());
        awaitEnd(jobs, jobs.submit(files("q", 3)));
        long chunks = rag.documents(1, 10).documents().get(1).chunks();

        assertThat(jobs.deleteDocument("q-01.txt")).isEqualTo(chunks);
        assertThat(rag.documents(1, 10).documents()).extracting(DocumentPage.IndexedDocument::id)
                .containsExactly("q-00.txt", "q-02.txt");
        assertThatThrownBy(() -> jobs.deleteDocument("q-01.txt")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("q-01.txt");

        model.holdCalls();
        String running = jobs.submit(files("q", 3));
        assertThatThrownBy(() -> jobs.deleteDocument("q-00.txt")).isInstanceOf(ConflictException.class)
                .hasMessageContaining(running);
        model.open();
        awaitEnd(jobs, running);
        assertThat(jobs.deleteDocument("q-00.txt")).isPositive();
    }

    @Test
    void theDirectoriesARequestNamesAreDeletedWhenTheJobEnds() throws Exception {
        IngestJobs jobs = jobs(engine(), IngestJobsConfig.defaults());
        Path uploads = Files.createDirectories(dir.resolve("uploads/job-1"));
        Path file = Files.writeString(uploads.resolve("x.txt"), "Uploaded text about owls. ".repeat(5));
        String id = jobs.submit(JobRequest.builder().file(file, "x.txt").deleteWhenDone(uploads).build());

        assertThat(awaitEnd(jobs, id).counts().in(FileState.STORED)).isEqualTo(1);
        assertThat(uploads).doesNotExist();
    }

    @Test
    void eventsAfterTheLastOneOfAnEndedJobAreEmptyAtOnce() throws Exception {
        IngestJobs jobs = jobs(engine(), IngestJobsConfig.defaults());
        String id = jobs.submit(files("s", 1));
        List<JobEvent> all = eventsToEnd(jobs, id);

        assertThat(jobs.events(id, all.size(), Duration.ofMinutes(5))).isEmpty();
        assertThat(jobs.events(id, 0, Duration.ZERO)).isEqualTo(all);
        assertThat(jobs.events(id, 2, Duration.ZERO)).isEqualTo(all.subList(2, all.size()));
        assertThatThrownBy(() -> jobs.events(id, -1, Duration.ZERO)).isInstanceOf(ValidationException.class);
    }

    @Test
    void aRequestRepeatingAnIdOrHoldingNothingIsRefused() {
        assertThatThrownBy(() -> JobRequest.builder().build()).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> JobRequest.builder().text(new Document("same", "a")).text(new Document("same", "b"))
                .build()).isInstanceOf(ValidationException.class).hasMessageContaining("same");
        assertThatThrownBy(() -> IngestJobsConfig.builder().maxRunningJobs(0).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("maxRunningJobs");
        assertThatThrownBy(() -> IngestJobsConfig.builder().stopGrace(Duration.ofSeconds(-1)).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("stopGrace");
    }
}
