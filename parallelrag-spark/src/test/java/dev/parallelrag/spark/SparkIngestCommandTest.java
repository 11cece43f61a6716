package dev.parallelrag.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options of spark-ingest become the job's settings, and bad ones are refused with the option named. */
class SparkIngestCommandTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/rag?user=rag";

    private static SparkIngestSettings parse(String env, String... args) {
        SparkIngestCommand command = new SparkIngestCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings(env);
    }

    @Test
    void optionsBecomeTheSettings() {
        SparkIngestSettings s = parse(null, "docs", "more", "--pg-url", URL, "--pg-table", "chunks_a", "--chunk-size", "800",
                "--chunk-overlap", "100", "--model", "all-minilm-l6-v2-q", "--partitions", "7", "--include", "*.md",
                "--exclude", "drafts/**");

        assertThat(s.paths()).containsExactly("docs", "more");
        assertThat(s.pgUrl()).isEqualTo(URL);
        assertThat(s.table()).isEqualTo("chunks_a");
        assertThat(s.splitterSpec().chunkSize()).isEqualTo(800);
        assertThat(s.splitterSpec().chunkOverlap()).isEqualTo(100);
        assertThat(s.model()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(s.partitions()).isEqualTo(7);
        assertThat(s.include()).containsExactly("*.md");
        assertThat(s.exclude()).containsExactly("drafts/**");
        assertThat(s.toString()).doesNotContain("jdbc:").doesNotContain("user=rag");
    }

    @Test
    void theUrlComesFromTheEnvironmentWhenNotGiven() {
        assertThat(parse(URL, "docs").pgUrl()).isEqualTo(URL);
        assertThatThrownBy(() -> parse(null, "docs")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("--pg-url").hasMessageContaining(SparkIngestCommand.PG_URL_ENV);
    }

    @Test
    void badValuesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> parse(URL, "docs", "--store", "lucene")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("--store");
        assertThatThrownBy(() -> parse(URL, "docs", "--embedder", "openai")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("--embedder");
        assertThatThrownBy(() -> parse(URL, "docs", "--model", "gpt")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("model").hasMessageContaining("all-minilm-l6-v2");
        assertThatThrownBy(() -> parse(URL, "docs", "--partitions", "-1")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("partitions");
        assertThatThrownBy(() -> parse("postgres://x", "docs")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("pgUrl").hasMessageNotContaining("postgres://x");
        assertThatThrownBy(() -> SparkIngestSettings.builder(URL).paths(List.of()).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("paths");
    }
}
