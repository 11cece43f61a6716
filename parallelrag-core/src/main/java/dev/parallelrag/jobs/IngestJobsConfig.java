package dev.parallelrag.jobs;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.runtime.StopSignal;
import java.time.Duration;

/**
 * Bounds of an {@link IngestJobs}. Every bound is a refusal, never a silent drop: a job over a bound is refused
 * when it is submitted, with an error that says which.
 *
 * @param maxRunningJobs  jobs that run at once (default {@value #DEFAULT_MAX_RUNNING}); each job already uses the
 *                        whole CPU pool, so more mainly lets a small job pass a large one
 * @param maxQueuedJobs   jobs waiting to run (default {@value #DEFAULT_MAX_QUEUED}); a submit beyond it is refused
 *                        as rate limited, to be retried
 * @param maxFilesPerJob  files and texts in one job (default {@value #DEFAULT_MAX_FILES}); a job's state and event
 *                        log grow with it
 * @param keepFinished    ended jobs remembered (default {@value #DEFAULT_KEEP_FINISHED}); the oldest is forgotten first,
 *                        and 0 forgets a job as it ends (a reader of its events then misses the last ones)
 * @param keepFinishedFor how long an ended job is remembered (default 1 hour)
 * @param stopGrace       how long a cancelled job's embedding calls in flight may go on before they are cut off
 *                        (default 500 ms, so a cancel ends the job within about a second)
 */
public record IngestJobsConfig(int maxRunningJobs, int maxQueuedJobs, int maxFilesPerJob, int keepFinished,
                               Duration keepFinishedFor, Duration stopGrace) {

    public static final int DEFAULT_MAX_RUNNING = 2;
    public static final int DEFAULT_MAX_QUEUED = 64;
    public static final int DEFAULT_MAX_FILES = 10_000;
    public static final int DEFAULT_KEEP_FINISHED = 100;
    public static final Duration DEFAULT_KEEP_FINISHED_FOR = Duration.ofHours(1);
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofMillis(500);

    public IngestJobsConfig {
        atLeast("maxRunningJobs", maxRunningJobs, 1);
        atLeast("maxQueuedJobs", maxQueuedJobs, 0);
        atLeast("maxFilesPerJob", maxFilesPerJob, 1);
        atLeast("keepFinished", keepFinished, 0);
        if (keepFinishedFor == null || keepFinishedFor.isNegative()) {
            throw new ValidationException("keepFinishedFor", keepFinishedFor, "must be zero or more (default 1 hour)");
        }
        StopSignal.withGrace(stopGrace); // the signal's own rule, with its message
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new ValidationException(field, value, "must be at least " + min);
        }
    }

    public static IngestJobsConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Not thread-safe. */
    public static final class Builder {
        private int maxRunningJobs = DEFAULT_MAX_RUNNING;
        private int maxQueuedJobs = DEFAULT_MAX_QUEUED;
        private int maxFilesPerJob = DEFAULT_MAX_FILES;
        private int keepFinished = DEFAULT_KEEP_FINISHED;
        private Duration keepFinishedFor = DEFAULT_KEEP_FINISHED_FOR;
        private Duration stopGrace = DEFAULT_STOP_GRACE;

        private Builder() {
        }

        public Builder maxRunningJobs(int n) {
            this.maxRunningJobs = n;
            return this;
        }

        public Builder maxQueuedJobs(int n) {
            this.maxQueuedJobs = n;
            return this;
        }

        public Builder maxFilesPerJob(int n) {
            this.maxFilesPerJob = n;
            return this;
        }

        public Builder keepFinished(int n) {
            this.keepFinished = n;
            return this;
        }

        public Builder keepFinishedFor(Duration d) {
            this.keepFinishedFor = d;
            return this;
        }

        public Builder stopGrace(Duration d) {
            this.stopGrace = d;
            return this;
        }

        public IngestJobsConfig build() {
            return new IngestJobsConfig(maxRunningJobs, maxQueuedJobs, maxFilesPerJob, keepFinished, keepFinishedFor,
                    stopGrace);
        }
    }
}
