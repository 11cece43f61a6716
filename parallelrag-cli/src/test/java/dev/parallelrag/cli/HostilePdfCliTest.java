package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 (Why, 10): damaged PDFs through {@code ingest} in a child JVM. {@code broken-fonts.pdf} (made for this
 * test) embeds a Type 1 and a TrueType font whose programs are garbage: PDFBox reads its text with fallback
 * fonts, and logs each workaround, one with a stack trace of over a hundred lines. {@code noise.pdf} is random
 * bytes and cannot be read at all. The first is ingested, the second is one per-file failure on one line, and
 * stderr holds nothing else: no library log line, no stack trace.
 */
class HostilePdfCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void aDamagedPdfIsReadOrReportedOnOneLineWithoutTheLibrarysLogs() throws Exception {
        Path docs = Files.createDirectories(work.resolve("docs"));
        try (InputStream pdf = getClass().getResourceAsStream("/hostile/broken-fonts.pdf")) {
            Files.copy(pdf, docs.resolve("broken-fonts.pdf"));
        }
        byte[] noise = new byte[300];
        new SplittableRandom(11).nextBytes(noise);
        Files.write(docs.resolve("noise.pdf"), noise);

        CliProcess run = CliProcess.run(work, Map.of(), "ingest", "docs", "--index", "idx", "--json", "--quiet");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        JsonNode summary = JSON.readTree(run.out());
        assertThat(summary.get("documents_ingested").asInt()).isEqualTo(1);
        assertThat(summary.get("failures").findValuesAsText("source")).containsExactly("docs/noise.pdf");
        assertThat(run.err().lines().toList()).singleElement().asString()
                .startsWith("ingest: docs/noise.pdf: cannot parse PDF");
        CliProcess search = CliProcess.run(work, Map.of(), "search", "--index", "idx", "--json", "Hello World");
        assertThat(search.exitCode()).as(search.err()).isZero();
        assertThat(search.out()).contains("docs/broken-fonts.pdf");
    }
}
