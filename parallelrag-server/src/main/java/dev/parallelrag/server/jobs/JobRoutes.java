package dev.parallelrag.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.DocumentPage;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.ConflictException;
import dev.parallelrag.error.NotFoundException;
import dev.parallelrag.error.RateLimitedException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.jobs.IngestJobs;
import dev.parallelrag.jobs.JobEvent;
import dev.parallelrag.jobs.JobRequest;
import dev.parallelrag.jobs.JobSnapshot;
import dev.parallelrag.server.ApiException;
import dev.parallelrag.server.Routes;
import dev.parallelrag.server.ServerContext;
import dev.parallelrag.server.ServerRoutes;
import dev.parallelrag.server.sse.SseWriter;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Ingest as jobs over HTTP: {@code POST /v1/documents} (files as multipart, or texts as JSON) answers 202 with a job
 * id as soon as the upload is on disk; {@code GET /v1/jobs/{id}} gives each file's state and the counts,
 * {@code GET /v1/jobs/{id}/events} streams every change as SSE until the job ends, {@code DELETE /v1/jobs/{id}}
 * cancels; {@code GET /v1/documents} pages the index's documents and {@code DELETE /v1/documents/{id}} removes one.
 * The jobs are the engine's ({@link IngestJobs}); this class reads requests and writes answers.
 */
public final class JobRoutes implements ServerRoutes {

    private IngestJobs jobs;
    private UploadArea area;
    private DocumentUploads uploads;
    private ObjectMapper json;
    private Duration heartbeat;

    /** The jobs' bounds are the server's ({@code ServerConfig.ingestJobs}). */
    public JobRoutes() {
    }

    @Override
    public void register(Routes routes, ServerContext context) {
        ParallelRag engine = context.engine();
        this.jobs = new IngestJobs(engine, context.config().ingestJobs());
        this.area = UploadArea.inTempDirectory();
        this.uploads = new DocumentUploads(area, context.config().maxUploadBytes());
        this.json = context.json();
        this.heartbeat = context.config().sseHeartbeat();
        routes.upload("/v1/documents", this::submit)
                .get("/v1/documents", ctx -> listDocuments(ctx, engine))
                .delete("/v1/documents/{id}", this::deleteDocument)
                .get("/v1/jobs/{id}", ctx -> ctx.json(JobJson.job(answer(() -> jobs.job(ctx.pathParam("id"))))))
                .get("/v1/jobs/{id}/events", this::events)
                .delete("/v1/jobs/{id}", this::cancel);
    }

    private void submit(Context ctx) {
        JobRequest request = uploads.read(ctx);
        String id;
        try {
            id = answer(() -> jobs.submit(request));
        } catch (RuntimeException e) {
            request.deleteWhenDone().forEach(UploadArea::delete);
            throw e;
        }
        ctx.status(202).header("Location", "/v1/jobs/" + id).json(JobJson.accepted(id, request.items().size()));
    }

    private void listDocuments(Context ctx, ParallelRag engine) {
        int page = intParam(ctx, "page", 1);
        int size = intParam(ctx, "size", DocumentPage.DEFAULT_SIZE);
        ctx.json(JobJson.documents(engine.documents(page, size)));
    }

    private void deleteDocument(Context ctx) {
        String id = ctx.pathParam("id");
        long removed = answer(() -> jobs.deleteDocument(id));
        ctx.json(java.util.Map.of("id", id, "deleted", true, "chunks_removed", removed));
    }

    private void cancel(Context ctx) {
        JobSnapshot job = answer(() -> jobs.cancel(ctx.pathParam("id")));
        ctx.status(job.state().ended() ? 200 : 202).json(JobJson.job(job));
    }

    /**
     * Every event of the job after {@code ?after=N} or the {@code Last-Event-ID} a reconnecting client sends (default:
     * from the first), then each new one as it happens, until the job's last; an unknown job is a 404 before the
     * stream starts. Written by the server's one event-stream writer ({@link SseWriter}: the headers that get it
     * through proxies, and a heartbeat comment whenever nothing was sent for {@code ServerConfig.sseHeartbeat}), each
     * event with its sequence as its {@code id:}; an opening comment sends the headers at once.
     */
    private void events(Context ctx) throws InterruptedException {
        String id = ctx.pathParam("id");
        String lastEventId = ctx.header("Last-Event-ID");
        long after = lastEventId != null && !lastEventId.isBlank() ? longOf("Last-Event-ID", lastEventId)
                : intParam(ctx, "after", 0);
        answer(() -> jobs.job(id));
        try (SseWriter sse = SseWriter.start(ctx, heartbeat)) {
            sse.comment("job " + id);
            while (!sse.clientGone()) {
                // the wait only bounds how late a gone client is noticed: the writer sends the heartbeats
                List<JobEvent> next = jobs.events(id, after, heartbeat);
                if (next.isEmpty() && ended(id, after)) {
                    break;
                }
                for (JobEvent e : next) {
                    sse.event(JobJson.eventName(e), Long.toString(e.sequence()), write(JobJson.event(e)));
                    after = e.sequence();
                }
            }
        } catch (NotFoundException e) {
            // the job was forgotten while streaming: the stream just ends
        } catch (UncheckedIOException e) {
            // the client went away: nothing is left to tell it
        }
    }

    /** Whether the job has ended and its last event has been sent. */
    private boolean ended(String id, long sent) {
        JobSnapshot job = jobs.job(id);
        return job.state().ended() && sent >= job.events();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a job event as JSON", e);
        }
    }

    /** Runs a call of the jobs, giving its not-found, conflict and queue-full errors their statuses. */
    private static <T> T answer(Supplier<T> call) {
        try {
            return call.get();
        } catch (NotFoundException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (ConflictException e) {
            throw ApiException.conflict(e.getMessage());
        } catch (RateLimitedException e) {
            throw ApiException.rateLimited(e.getMessage(), e.retryAfter().orElse(IngestJobs.QUEUE_FULL_RETRY_AFTER));
        }
    }

    private static int intParam(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        long n = longOf(name, value);
        if (n != (int) n) {
            throw new ValidationException(name, value, "is out of range");
        }
        return (int) n;
    }

    private static long longOf(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ValidationException(name, value, "must be a whole number");
        }
    }

    @Override
    public void close() {
        if (jobs != null) {
            jobs.close();
        }
        if (area != null) {
            UploadArea.deleteAll(area);
        }
    }
}
