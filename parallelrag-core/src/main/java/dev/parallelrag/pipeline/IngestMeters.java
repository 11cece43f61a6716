package dev.parallelrag.pipeline;

import dev.parallelrag.metrics.GenAiMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest pipeline's Micrometer meters, fed by its {@link IngestEvent}s: each run's listener is wrapped by
 * {@link #start(IngestListener)}, and the {@link Run} closed when the run returns or throws. One instance per registry
 * serves any number of runs, one after the other or at the same time.
 * <ul>
 *   <li>{@value #DOCUMENTS} (counter) by {@code outcome}: {@code ingested}, {@code unchanged}, {@code failed},
 *       {@code pruned}, as each document is done;</li>
 *   <li>{@value #CHUNKS} (counter) by {@code outcome}: {@code added} (embedded and written), {@code skipped}
 *       (already embedded for this model), {@code removed} (old versions and pruned documents);</li>
 *   <li>{@value #FAILURES} (counter) by {@code stage} ({@code read}, {@code split}, {@code embed}, {@code write}) and
 *       {@code error.type}: files that failed;</li>
 *   <li>{@value #STAGE_DURATION} (timer) by {@code stage} ({@code read}, {@code split}, {@code dedupe},
 *       {@code embed}, {@code write}): each finished run's busy time in the stage, summed over its threads, so
 *       the rate of its sum is how many threads the stage kept busy;</li>
 *   <li>{@value #RUN_DURATION} (timer): each finished run's wall time;</li>
 *   <li>{@value #QUEUE_DEPTH} (gauge): documents read and planned but not yet written or failed, over all runs in
 *       progress; the bounded windows between the stages hold them, so a depth that stays at its bound says the
 *       embedder or the store is the bottleneck.</li>
 * </ul>
 */
public final class IngestMeters {

    public static final String DOCUMENTS = "parallelrag.ingest.documents";
    public static final String CHUNKS = "parallelrag.ingest.chunks";
    public static final String FAILURES = "parallelrag.ingest.failures";
    public static final String STAGE_DURATION = "parallelrag.ingest.stage.duration";
    public static final String RUN_DURATION = "parallelrag.ingest.duration";
    public static final String QUEUE_DEPTH = "parallelrag.ingest.queue.depth";

    private final MeterRegistry registry;
    private final AtomicLong queued = new AtomicLong();
    private final Counter ingested;
    private final Counter unchanged;
    private final Counter failed;
    private final Counter pruned;
    private final Counter added;
    private final Counter skipped;
    private final Counter removed;
    private final Timer runs;

    public IngestMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ingested = documents("ingested");
        this.unchanged = documents("unchanged");
        this.failed = documents("failed");
        this.pruned = documents("pruned");
        this.added = chunks("added");
        this.skipped = chunks("skipped");
        this.removed = chunks("removed");
        this.runs = Timer.builder(RUN_DURATION).description("Wall time of finished ingest runs").register(registry);
        Gauge.builder(QUEUE_DEPTH, queued, AtomicLong::get)
                .description("Documents planned and not yet written or failed, over the ingest runs in progress")
                .register(registry);
        for (String stage : new String[] {StageClock.READ, StageClock.SPLIT, StageClock.DEDUPE, StageClock.EMBED,
                StageClock.WRITE}) {
            stageTimer(stage); // every stage is scraped from the start, not from its first run
        }
    }

    private Counter documents(String outcome) {
        return Counter.builder(DOCUMENTS).description("Documents done by ingest runs").tag("outcome", outcome)
                .register(registry);
    }

    private Counter chunks(String outcome) {
        return Counter.builder(CHUNKS).description("Chunks handled by ingest runs").tag("outcome", outcome)
                .register(registry);
    }

    private Timer stageTimer(String stage) {
        return Timer.builder(STAGE_DURATION).description("Busy time of an ingest stage per finished run")
                .tag("stage", stage).register(registry);
    }

    /** Documents planned and not yet written or failed, over the runs in progress. */
    public long queueDepth() {
        return queued.get();
    }

    /** The listener of one run: records each event, then hands it to {@code next}. Close it when the run is over. */
    public Run start(IngestListener next) {
        return new Run(Objects.requireNonNull(next, "next"));
    }

    /**
     * One run's listener, which knows the documents it planned and has not yet done. Closing it (idempotent) takes
     * what is left of them off the queue depth: a run that threw never sends {@link IngestEvent.Finished}.
     */
    public final class Run implements IngestListener, AutoCloseable {
        private final IngestListener next;
        private final Set<String> planned = new HashSet<>();
        private final Set<String> plannedUnchanged = new HashSet<>();

        private Run(IngestListener next) {
            this.next = next;
        }

        @Override
        public synchronized void on(IngestEvent event) { // uncontended: the pipeline calls it on one thread
            switch (event) {
                case IngestEvent.DocumentPlanned p -> {
                    if (planned.add(p.source())) {
                        queued.incrementAndGet();
                    }
                    if (p.unchanged()) {
                        plannedUnchanged.add(p.source());
                    }
                }
                case IngestEvent.DocumentWritten w -> {
                    done(w.source());
                    (plannedUnchanged.remove(w.source()) ? unchanged : ingested).increment();
                    added.increment(w.added());
                    skipped.increment(w.skipped());
                    removed.increment(w.removed());
                }
                case IngestEvent.DocumentFailed f -> {
                    done(f.failure().source());
                    failed.increment();
                    Counter.builder(FAILURES).description("Files that failed in an ingest run, by stage and error")
                            .tags("stage", f.failure().stage(), GenAiMetrics.ERROR_TYPE,
                                    GenAiMetrics.errorType(f.failure().kind()))
                            .register(registry).increment();
                }
                case IngestEvent.DocumentPruned p -> {
                    pruned.increment();
                    removed.increment(p.chunksRemoved());
                }
                case IngestEvent.Finished f -> {
                    close(); // documents a stopped run left behind are no longer queued
                    for (Map.Entry<String, Duration> stage : f.summary().stageTimes().entrySet()) {
                        stageTimer(stage.getKey()).record(stage.getValue());
                    }
                    runs.record(f.summary().wallTime());
                }
                default -> {
                }
            }
            next.on(event);
        }

        private void done(String source) {
            if (planned.remove(source)) {
                queued.decrementAndGet();
            }
        }

        @Override
        public synchronized void close() {
            queued.addAndGet(-planned.size());
            planned.clear();
        }
    }
}
