package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.testkit.FakeProviderServer;
import dev.parallelrag.testkit.Fault;
import dev.parallelrag.testkit.FaultPlan;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key canary through whole {@code parallelrag} processes with every log on (trace level, debug stack
 * traces): a key holding {@code /} and {@code +}, echoed back by the provider as it is, JSON-escaped and
 * URL-encoded, never reaches stdout or stderr; a key with a line break is refused without being printed.
 * Every key holds the word {@code CANARY}, so a partly masked key fails the test too.
 */
class KeyCanaryCliTest {

    private static final String KEY = "sk-proj/LEAK+CANARY/7f3a+9c1e==";

    @TempDir
    Path work;

    @Test
    void aKeyEchoedBackInAnyFormNeverReachesTheOutput() throws Exception {
        Files.write(work.resolve("prompts.txt"), List.of("fine", "AUTH it", "ESCAPED it", "ENCODED it", "last"));
        try (FakeProviderServer server = FakeProviderServer.builder().dimension(8).start()) {
            server.faults(FaultPlan.firstOf(FaultPlan.onMarker("AUTH", Fault.status(401).message("Incorrect API key " + KEY)),
                    FaultPlan.onMarker("ESCAPED", Fault.status(400).message("bad key \"" + KEY.replace("/", "\\/") + "\"")),
                    FaultPlan.onMarker("ENCODED", Fault.status(404)
                            .message("no route for /v1?key=" + URLEncoder.encode(KEY, StandardCharsets.UTF_8)))));
            Map<String, String> env = env(KEY, server);

            CliProcess complete = CliProcess.run(work, env, "complete", "prompts.txt", "--provider", "openai",
                    "--model", "gpt-test", "--stats", "json");
            CliProcess embed = CliProcess.run(work, env, "embed", "prompts.txt", "--provider", "openai",
                    "--model", "text-embedding-3-small", "--stats", "json");

            for (CliProcess run : List.of(complete, embed)) {
                assertThat(run.exitCode()).as(run.err()).isEqualTo(1); // three items failed, two answered
                assertThat(run.out().lines()).hasSizeGreaterThanOrEqualTo(5);
                assertThat(run.out() + run.err()).contains("****").doesNotContainIgnoringCase("CANARY");
            }
            assertThat(server.requests()).anySatisfy(r -> assertThat(r.path()).contains("chat"));
        }
    }

    @Test
    void aKeyEchoedBackInAnyFormNeverReachesTheHealthOutputTextOrJson() throws Exception {
        Files.createDirectories(work.resolve("docs"));
        Files.writeString(work.resolve("docs/a.txt"), "The union is strong. The economy grows.");
        try (FakeProviderServer server = FakeProviderServer.builder().dimension(8).start()) {
            Map<String, String> env = env(KEY, server);
            CliProcess ingest = CliProcess.run(work, env, "ingest", "docs", "--embedder", "openai", "--model",
                    "text-embedding-3-small", "--no-embedding-cache");
            assertThat(ingest.exitCode()).as(ingest.err()).isZero();
            StringBuilder all = new StringBuilder();
            for (Fault echo : List.of(Fault.status(401).message("Incorrect API key " + KEY),
                    Fault.status(400).message("bad key \"" + KEY.replace("/", "\\/") + "\""),
                    Fault.status(404).message("no route for /v1?key=" + URLEncoder.encode(KEY, StandardCharsets.UTF_8)))) {
                server.faults(FaultPlan.rate(1.0, 1, echo)); // both probes, the embedder's and the LLM's, meet it
                for (List<String> format : List.of(List.<String>of(), List.of("--json"))) {
                    List<String> args = new java.util.ArrayList<>(List.of("health", "--llm", "openai", "--model", "gpt-test"));
                    args.addAll(format);
                    CliProcess run = CliProcess.run(work, env, args.toArray(String[]::new));
                    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(CliErrors.DOWN);
                    assertThat(run.out()).contains("probe failed");
                    all.append(run.out()).append(run.err());
                }
            }
            assertThat(all.toString()).contains("****").doesNotContainIgnoringCase("CANARY");
        }
    }

    @Test
    void aKeyWithALineBreakIsRefusedWithoutBeingPrinted() throws Exception {
        Files.write(work.resolve("prompts.txt"), List.of("fine"));
        try (FakeProviderServer server = FakeProviderServer.builder().start()) {
            CliProcess run = CliProcess.run(work, env("sk-LEAK\nCANARY", server), "complete", "prompts.txt",
                    "--provider", "openai", "--model", "gpt-test");
            CliProcess health = CliProcess.run(work, env("sk-LEAK\nCANARY", server), "health", "--llm", "openai", "--json");

            for (CliProcess refused : List.of(run, health)) {
                assertThat(refused.exitCode()).isEqualTo(2);
                assertThat(refused.err()).contains("OPENAI_API_KEY", "control character");
                assertThat(refused.out() + refused.err()).doesNotContainIgnoringCase("CANARY").doesNotContain("LEAK");
            }
            assertThat(server.requests()).isEmpty();
        }
    }

    private static Map<String, String> env(String key, FakeProviderServer server) {
        Map<String, String> env = new HashMap<>();
        env.put("OPENAI_API_KEY", key);
        env.put("OPENAI_BASE_URL", server.openAiBaseUrl());
        env.put("PARALLELRAG_LOG_LEVEL", "trace");
        env.put("PARALLELRAG_DEBUG", "1");
        return env;
    }
}
