package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest} draws a progress bar only on a terminal, and {@code --quiet} turns it off there. The runs
 * are whole processes on a pseudo-terminal, because a test's own console is never one.
 */
class IngestProgressTest {

    @TempDir
    Path work;

    @Test
    void aTerminalGetsAProgressBarUnlessQuiet() throws Exception {
        Path docs = Files.createDirectories(work.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "The Congress shall assemble at least once in every year.");
        Files.writeString(docs.resolve("b.txt"), "No person shall be a Senator who shall not have attained the age of thirty years.");

        CliProcess loud = CliProcess.runOnTerminal(work, Map.of(), "ingest", "docs", "--index", "loud", "--no-embedding-cache");
        CliProcess quiet = CliProcess.runOnTerminal(work, Map.of(), "ingest", "docs", "--index", "quiet", "--no-embedding-cache",
                "--quiet");

        assertThat(loud.exitCode()).as(loud.out()).isZero();
        assertThat(quiet.exitCode()).as(quiet.out()).isZero();
        // the bar's task name, its unit and its percentage; the summary (which both print) has none of them
        assertThat(loud.out()).contains("ingest", "100%", "2/2 files");
        assertThat(quiet.out()).doesNotContain("100%").doesNotContain("2/2 files").contains("files: 2");
    }
}
