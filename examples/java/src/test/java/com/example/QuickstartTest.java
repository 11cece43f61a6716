package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.testkit.FakeProviderServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quickstart as a user would, in a JVM of its own with only this project's class path: once with an
 * OpenAI-compatible endpoint (the testkit's fake, on loopback) and once without, over a copy of the sample folder.
 */
class QuickstartTest {

    private static final String QUESTION = "What did Lincoln say about the slave trade?";

    @TempDir
    static Path work;

    @BeforeAll
    static void copySample() throws IOException {
        Path sample = Files.createDirectories(work.resolve("sample"));
        try (Stream<Path> files = Files.list(Path.of("../sample"))) {
            for (Path f : files.toList()) {
                Files.copy(f, sample.resolve(f.getFileName()));
            }
        }
    }

    @Test
    void ingestsTheFolderAndAnswersExtractivelyThenWithTheLlmThenReingestsNothing() throws Exception {
        try (FakeProviderServer llm = FakeProviderServer.builder().start()) {
            String out = run(Map.of("OPENAI_BASE_URL", llm.openAiBaseUrl(), "OPENAI_API_KEY", "test-key"));

            assertThat(out).contains("files: 5 (ingested 5, unchanged 0, failed 0").doesNotContain("chunks: 0 added");
            // extractive: sentences quoted from the sources, numbered, the best one from Lincoln's 1861 message
            assertThat(out).contains("EXTRACTIVE: ").contains("[1] sample/1861_abraham_lincoln_r.txt, lines ");
            // generated: the fake LLM answers "echo: " + the prompt it was sent, which lists the numbered sources
            assertThat(out).contains("GENERATED: echo: Sources:").contains("[5] sample/");
            assertThat(llm.requestCount("/v1/chat/completions")).isEqualTo(1);
            assertThat(llm.requests().getFirst().body()).contains("Question: " + QUESTION);
        }

        String again = run(Map.of());
        assertThat(again).contains("files: 5 (ingested 0, unchanged 5, failed 0").contains("chunks: 0 added");
        assertThat(again).contains("EXTRACTIVE: ").doesNotContain("GENERATED");
    }

    private static String run(Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Quickstart.class.getName(), "sample", QUESTION).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().remove("OPENAI_BASE_URL");
        pb.environment().remove("OPENAI_API_KEY");
        pb.environment().putAll(env);
        Process child = pb.start();
        byte[] output = child.getInputStream().readAllBytes();
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("quickstart finished").isTrue();
        String out = new String(output, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(out).isZero();
        return out;
    }
}
