package dev.parallelrag.pipeline;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.metrics.GenAiMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest pipeline's Micrometer meters. Give one to {@link IngestPipeline}'s constructor; one instance serves
 * any number of runs on its registry, one after the other or at the same time. Close it to take its gauges off the
 * registry (the engine does when it closes); a registry holds the gauges of one open instance only, because two
 * would scrape as one series with a value from either.
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
 *   <li>{@value #QUEUE_DEPTH} (gauge) by {@code queue}: what is in the pipeline's bounded windows now, over all
 *       runs in progress. {@value #PLAN_QUEUE}: documents taken to be read, split and planned and not yet handed
 *       on to batching (at most {@code documentWindow} per run); {@value #EMBED_QUEUE}: embedding batches taken
 *       and not yet written (at most twice {@code embedConcurrency} per run). A window that stays full says the
 *       stage after it is the bottleneck.</li>
 * </ul>
 */
public final class IngestMeters implements AutoCloseable {

    public static final String DOCUMENTS = "parallelrag.ingest.documents";
    public static final String CHUNKS = "parallelrag.ingest.chunks";
    public static final String FAILURES = "parallelrag.ingest.failures";
    public static final String STAGE_DURATION = "parallelrag.ingest.stage.duration";
    public static final String RUN_DURATION = "parallelrag.ingest.duration";
    public static final String QUEUE_DEPTH = "parallelrag.ingest.queue.depth";
    /** {@value #QUEUE_DEPTH}'s {@code queue}: documents being read, split and planned. */
    public static final String PLAN_QUEUE = "plan";
    /** {@value #QUEUE_DEPTH}'s {@code queue}: batches being embedded, waiting to be written. */
    public static final String EMBED_QUEUE = "embed";

    private final MeterRegistry registry;
    private final AtomicLong planned = new AtomicLong();
    private final AtomicLong embedding = new AtomicLong();
    private final List<Gauge> gauges;
    private final Counter ingested;
    private final Counter unchanged;
    private final Counter failed;
    private final Counter pruned;
    private final Counter added;
    private final Counter skipped;
    private final Counter removed;
    private final Timer runs;

    /** @throws ValidationException when the registry already holds the gauges of another open instance */
    public IngestMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (registry.find(QUEUE_DEPTH).gauge() != null) {
            throw new ValidationException("meterRegistry", registry.getClass().getSimpleName(), "already holds the"
                    + " ingest meters of another open engine or pipeline; close that one first, or give each its own"
                    + " registry");
        }
        this.gauges = List.of(queueGauge(PLAN_QUEUE, planned), queueGauge(EMBED_QUEUE, embedding));
        this.ingested = documents("ingested");
        this.unchanged = documents("unchanged");
        this.failed = documents("failed");
        this.pruned = documents("pruned");
        this.added = chunks("added");
        this.skipped = chunks("skipped");
        this.removed = chunks("removed");
        this.runs = Timer.builder(RUN_DURATION).description("Wall time of finished ingest runs").register(registry);
        for (String stage : new String[] {StageClock.READ, StageClock.SPLIT, StageClock.DEDUPE, StageClock.EMBED,
                StageClock.WRITE}) {
            stageTimer(stage); // every stage is scraped from the start, not from its first run
        }
    }

    private Gauge queueGauge(String queue, AtomicLong depth) {
        return Gauge.builder(QUEUE_DEPTH, depth, AtomicLong::get)
                .description("Items in the ingest pipeline's bounded windows, over the runs in progress")
                .tag("queue", queue).strongReference(true).register(registry);
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

    /** What {@value #QUEUE_DEPTH} reads for {@code queue} ({@value #PLAN_QUEUE} or {@value #EMBED_QUEUE}). */
    public long queueDepth(String queue) {
        return switch (queue) {
            case PLAN_QUEUE -> planned.get();
            case EMBED_QUEUE -> embedding.get();
            default -> throw new ValidationException("queue", queue, "must be " + PLAN_QUEUE + " or " + EMBED_QUEUE);
        };
    }

    /** One run's window of the given queue, counted into the gauge. */
    WindowDepth window(String queue) {
        return new WindowDepth(queue.equals(PLAN_QUEUE) ? planned : embedding);
    }

    /** One run's listener: records each event, then hands it to {@code next}. */
    IngestListener listener(IngestListener next) {
        Objects.requireNonNull(next, "next");
        Set<String> plannedUnchanged = new HashSet<>(); // the pipeline calls its listener on one thread
        return event -> {
            record(event, plannedUnchanged);
            next.on(event);
        };
    }

    private void record(IngestEvent event, Set<String> plannedUnchanged) {
        switch (event) {
            case IngestEvent.DocumentPlanned p -> {
                if (p.unchanged()) {
                    plannedUnchanged.add(p.source());
                }
            }
            case IngestEvent.DocumentWritten w -> {
                (plannedUnchanged.remove(w.source()) ? unchanged : ingested).increment();
                added.increment(w.added());
                skipped.increment(w.skipped());
                removed.increment(w.removed());
            }
            case IngestEvent.DocumentFailed f -> {
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
                for (Map.Entry<String, Duration> stage : f.summary().stageTimes().entrySet()) {
                    stageTimer(stage.getKey()).record(stage.getValue());
                }
                runs.record(f.summary().wallTime());
            }
            default -> {
            }
        }
    }

    /** Takes the queue-depth gauges off the registry, so that another instance may register its own. Idempotent. */
    @Override
    public void close() {
        gauges.forEach(registry::remove);
    }
}
