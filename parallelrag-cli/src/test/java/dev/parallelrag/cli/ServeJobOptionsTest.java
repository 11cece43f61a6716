package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.jobs.IngestJobsConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve}'s ingest-job options reach the server's {@code ServerConfig.ingestJobs}, each in its own place. */
class ServeJobOptionsTest {

    private static IngestJobsConfig jobs(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.config().ingestJobs();
    }

    @Test
    void withoutTheOptionsTheBoundsAreTheLibrarysDefaults() {
        assertThat(jobs()).isEqualTo(IngestJobsConfig.defaults());
    }

    @Test
    void maxRunningJobsSetsHowManyJobsRunAtOnce() {
        assertThat(jobs("--max-running-jobs", "5").maxRunningJobs()).isEqualTo(5).isNotEqualTo(IngestJobsConfig.DEFAULT_MAX_RUNNING);
    }

    @Test
    void maxQueuedJobsSetsHowManyJobsMayWait() {
        assertThat(jobs("--max-queued-jobs", "3").maxQueuedJobs()).isEqualTo(3);
    }

    @Test
    void maxFilesPerJobSetsTheFilesOneJobTakes() {
        assertThat(jobs("--max-files-per-job", "250").maxFilesPerJob()).isEqualTo(250);
    }

    @Test
    void keepFinishedJobsSetsHowManyEndedJobsAreRemembered() {
        assertThat(jobs("--keep-finished-jobs", "7").keepFinished()).isEqualTo(7);
    }

    @Test
    void keepFinishedForSetsHowLongAnEndedJobIsRemembered() {
        assertThat(jobs("--keep-finished-for", "30m").keepFinishedFor()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aBadBoundIsRefusedNamingItsOption() {
        assertThatThrownBy(() -> jobs("--max-running-jobs", "0")).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo("--max-running-jobs"));
        assertThatThrownBy(() -> jobs("--max-queued-jobs", "-1")).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo("--max-queued-jobs"));
    }
}
