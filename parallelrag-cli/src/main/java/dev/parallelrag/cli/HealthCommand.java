package dev.parallelrag.cli;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.health.Health;
import dev.parallelrag.health.HealthRegistry;
import dev.parallelrag.health.HealthStatus;
import dev.parallelrag.llm.LlmClient;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parallelrag health}: the engine's verdict after a real probe of each model ({@link ParallelRag#checkHealth()}). */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Open the index as ask does, send the embedder one short text (and the LLM, with --llm, one prompt"
                + " answered in one token), and print the verdict with each component's reason: store, runtime, embedder, llm.",
                "Exit codes: 0 UP, " + CliErrors.DEGRADED + " DEGRADED, " + CliErrors.DOWN + " DOWN; 1 when the index cannot"
                        + " be opened, 2 for a usage error, 3 for a damaged index."})
final class HealthCommand extends IndexCommand {

    @Mixin
    IndexOptions index;

    @Mixin
    LlmOptions llm;

    @Mixin
    RemoteCallOptions remote;

    @Option(names = "--json", description = "Print the verdict as one JSON object: status, and each component's status, reason and details.")
    boolean json;

    @Override
    int run() {
        remote.requireRemote(llm.kind != LlmOptions.Kind.none, "they set the LLM call, and --llm none makes none");
        HealthRegistry.Report report;
        // the LLM named, without fallbacks: a fallback that answered would hide the primary's state
        try (LlmClient client = llm.create(remote.resilience(), new FallbackLlmOptions.Fallbacks(List.of()));
             ParallelRag rag = ParallelRag.builder(index.index).chatModel(client).build()) {
            report = rag.checkHealth();
        }
        PrintWriter out = out();
        if (json) {
            out.println(report.toJson());
        } else {
            out.println("health: " + report.status());
            int width = report.components().stream().mapToInt(h -> h.component().length()).max().orElse(0);
            for (Health h : report.components()) {
                out.printf("  %-" + width + "s  %-8s  %s%n", h.component(), h.status(), oneLine(h.reason()));
            }
        }
        out.flush();
        return exitCode(report.status());
    }

    static int exitCode(HealthStatus status) {
        return switch (status) {
            case UP -> 0;
            case DEGRADED -> CliErrors.DEGRADED;
            case DOWN -> CliErrors.DOWN;
        };
    }
}
