package dev.parallelrag.cli;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.llm.Completion;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.runtime.RuntimeConfig;
import dev.parallelrag.runtime.StopSignal;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parallelrag complete}: one completion per input line, in parallel, JSONL out in input order. The work
 * is {@link LlmClient#completeFull}; this class only reads, wires and writes.
 */
@Command(name = "complete", mixinStandardHelpOptions = true,
        description = {"Complete prompts in parallel: one JSONL result per input line, in input order.",
                "Input: JSONL {\"id\":...,\"prompt\":...} or plain text lines (id = line number from 1).",
                "Exit code: 0 all succeeded, 1 some failed, 2 usage error, 143/130 stopped by SIGTERM/SIGINT",
                "(what finished is written; --retry-failed finishes the rest)."})
public final class CompleteCommand implements Callable<Integer> {

    static final List<ProviderKind> PROVIDERS = List.of(ProviderKind.OPENAI, ProviderKind.ANTHROPIC,
            ProviderKind.GEMINI, ProviderKind.GROQ, ProviderKind.XAI, ProviderKind.OLLAMA, ProviderKind.COMPATIBLE);
    /** Items handed to the runtime at once: results are written window by window, so output starts early. */
    private static final int WINDOW = LlmClient.MAX_BATCH;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--provider", required = true, paramLabel = "P",
            description = "openai|anthropic|gemini|groq|xai|ollama|compatible (key and base URL from the environment)")
    String provider;

    @Option(names = "--model", required = true, paramLabel = "M", description = "model name")
    String model;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16", description = "requests in flight (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--max-tokens", paramLabel = "N", description = "most tokens per answer (1..100000, default 1024)")
    Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "sampling temperature 0.0..2.0")
    Double temperature;

    @Option(names = "--system", paramLabel = "S", description = "system prompt")
    String system;

    @Option(names = "--stats", paramLabel = "json", description = "also print the summary as JSON on the last stderr line")
    String stats;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-", description = "input file; '-' or none for stdin")
    String input;

    @Mixin
    RemoteCallOptions remote;

    @Mixin
    FallbackLlmOptions fallback;

    @Mixin
    RetryFailedOption retry;

    @Mixin
    StopOptions stopOptions;

    private final CliIo io;

    public CompleteCommand() {
        this(CliIo.system());
    }

    public CompleteCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        ProviderKind kind = ProviderOptions.kind(spec, provider, PROVIDERS);
        boolean statsJson = StatsOption.json(spec, stats);
        if (concurrency < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--concurrency must be at least 1, got " + concurrency);
        }
        CompletionOptions options = options();
        ResilienceConfig resilience = resilience();
        List<InputItem> items = readInput();
        ResultWriter writer = new ResultWriter(io.out());
        RunTally tally = new RunTally(writer, retry.load(spec, "text", items));
        StopSignal stop = stopOptions.signal(spec);
        long start = System.nanoTime();
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().ioConcurrency(concurrency).build());
             FallbackLlmOptions.Fallbacks fallbacks = fallbacks(resilience, runtime);
             LlmClient llm = fallbacks.addTo(LlmClient.builder(Providers.chatModel(ProviderOptions.config(spec, kind, io),
                     model))).defaultConcurrency(concurrency).runtime(runtime).resilience(resilience).build();
             Progress progress = Progress.start(io, "complete", items.size())) {
            for (int from = 0; from < items.size(); from += WINDOW) {
                List<InputItem> window = items.subList(from, Math.min(items.size(), from + WINDOW));
                List<Outcome<Completion>> results = runtime.mapIo(window, concurrency, stop, item -> {
                    try {
                        return tally.toRun(item) ? llm.completeFull(item.text(), options) : null;
                    } finally {
                        progress.step(1);
                    }
                });
                for (int i = 0; i < window.size(); i++) {
                    tally.write(window.get(i), results.get(i), writer::completion);
                }
                io.out().flush();
            }
            progress.close();
            long wall = (System.nanoTime() - start) / 1_000_000;
            tally.summary("complete", stop.isStopped(), wall, llm.stats()).print(io.err(), statsJson);
        }
        return tally.exitCode(stop.isStopped());
    }

    private CompletionOptions options() {
        try {
            CompletionOptions.Builder b = CompletionOptions.builder().concurrency(concurrency);
            if (maxTokens != null) {
                b.maxTokens(maxTokens);
            }
            if (temperature != null) {
                b.temperature(temperature);
            }
            if (system != null) {
                b.system(system);
            }
            return b.build();
        } catch (ValidationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The flags' settings, or null for the provider's defaults. */
    private ResilienceConfig resilience() {
        try {
            return fallback.resilience(remote.resilience()).orElse(null);
        } catch (ValidationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The {@code --fallback-llm} clients, sharing the command's runtime and settings. */
    private FallbackLlmOptions.Fallbacks fallbacks(ResilienceConfig resilience, ParallelRuntime runtime) {
        try {
            return fallback.create(io.env()::apply, resilience, runtime);
        } catch (ValidationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private List<InputItem> readInput() {
        try {
            return InputReader.read(input, io.in(), "prompt");
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
