package dev.parallelrag.server.jobs;

import dev.parallelrag.engine.DocumentPage;
import dev.parallelrag.jobs.FileState;
import dev.parallelrag.jobs.FileStatus;
import dev.parallelrag.jobs.JobCounts;
import dev.parallelrag.jobs.JobEvent;
import dev.parallelrag.jobs.JobSnapshot;
import dev.parallelrag.pipeline.FileFailure;
import java.util.LinkedHashMap;
import java.util.Map;

/** The wire form of jobs, their events and document pages: plain maps in a stable order, snake_case names. */
final class JobJson {

    private JobJson() {
    }

    /** The answer to a submit: the job's id, where to follow it, and its files' count. */
    static Map<String, Object> accepted(String id, int files) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", id);
        m.put("state", "queued");
        m.put("files", files);
        m.put("status_url", "/v1/jobs/" + id);
        m.put("events_url", "/v1/jobs/" + id + "/events");
        return m;
    }

    static Map<String, Object> job(JobSnapshot job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", job.id());
        m.put("state", job.state().wireName());
        m.put("submitted", job.submitted().toString());
        m.put("started", job.started().map(Object::toString).orElse(null));
        m.put("ended", job.ended().map(Object::toString).orElse(null));
        m.put("counts", counts(job.counts()));
        m.put("error", job.error().orElse(null));
        m.put("events", job.events());
        m.put("files", job.files().stream().map(JobJson::file).toList());
        return m;
    }

    static Map<String, Object> counts(JobCounts counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", counts.files());
        for (FileState s : FileState.values()) {
            m.put(s.wireName(), counts.in(s));
        }
        m.put("chunks_added", counts.chunksAdded());
        return m;
    }

    static Map<String, Object> file(FileStatus file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", file.source());
        m.put("state", file.state().wireName());
        m.put("chunks", file.chunks());
        m.put("chunks_added", file.chunksAdded());
        m.put("error", file.failure().map(JobJson::failure).orElse(null));
        return m;
    }

    private static Map<String, Object> failure(FileFailure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", f.kind().wireName());
        m.put("stage", f.stage());
        m.put("message", f.message());
        return m;
    }

    /** The SSE event name of a job event: {@code file} or {@code job}. */
    static String eventName(JobEvent event) {
        return event instanceof JobEvent.FileChanged ? "file" : "job";
    }

    static Map<String, Object> event(JobEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", event.jobId());
        m.put("sequence", event.sequence());
        switch (event) {
            case JobEvent.FileChanged f -> m.putAll(file(f.file()));
            case JobEvent.JobChanged j -> {
                m.put("state", j.state().wireName());
                m.put("counts", counts(j.counts()));
                m.put("error", j.error().orElse(null));
            }
        }
        return m;
    }

    static Map<String, Object> documents(DocumentPage page) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("page", page.page());
        m.put("size", page.size());
        m.put("total", page.total());
        m.put("has_more", page.hasMore());
        m.put("documents", page.documents().stream().map(d -> {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", d.id());
            doc.put("source", d.source());
            doc.put("chunks", d.chunks());
            return doc;
        }).toList());
        return m;
    }
}
