package dev.parallelrag.cli;

import dev.parallelrag.embed.EmbedOptions;
import dev.parallelrag.embed.EmbeddingClient;
import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.resilience.ResilienceConfig;
import dev.parallelrag.runtime.Outcome;
import dev.parallelrag.runtime.StopSignal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parallelrag embed}: one vector per input line, JSONL out in input order. The work is
 * {@link EmbeddingClient#embedBatchParallel}; this class only reads, wires and writes.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Embed texts in parallel batches: one JSONL vector per input line, in input order.",
                "Input: JSONL {\"id\":...,\"text\":...} or plain text lines (id = line number from 1).",
                "Exit code: 0 all succeeded, 1 some failed, 2 usage error, 143/130 stopped by SIGTERM/SIGINT",
                "(what finished is written; --retry-failed finishes the rest)."})
public final class EmbedCommand implements Callable<Integer> {

    static final List<String> PROVIDERS = List.of("local", "openai", "gemini", "ollama", "compatible");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--provider", paramLabel = "P", defaultValue = "local",
            description = "local|openai|gemini|ollama|compatible (default ${DEFAULT-VALUE}: the built-in ONNX model)")
    String provider;

    @Option(names = "--model", paramLabel = "M", description = "model name (required for remote providers); local: bge-small-en-v1.5-q (default), bge-small-en-v1.5, "
            + "all-minilm-l6-v2 or all-minilm-l6-v2-q")
    String model;

    @Option(names = "--batch-size", paramLabel = "N", description = "texts per request (default: the model's limit)")
    Integer batchSize;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16", description = "batches in flight (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--stats", paramLabel = "json", description = "also print the summary as JSON on the last stderr line")
    String stats;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-", description = "input file; '-' or none for stdin")
    String input;

    @Mixin
    RemoteCallOptions remote;

    @Mixin
    RetryFailedOption retry;

    @Mixin
    StopOptions stopOptions;

    private final CliIo io;

    public EmbedCommand() {
        this(CliIo.system());
    }

    public EmbedCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        boolean statsJson = StatsOption.json(spec, stats);
        EmbedOptions options = options();
        ResilienceConfig resilience = resilience();
        EmbeddingModel embeddingModel = model();
        List<InputItem> items = readInput();
        ResultWriter writer = new ResultWriter(io.out());
        RunTally tally = new RunTally(writer, retry.load(spec, "embedding", items));
        StopSignal stop = stopOptions.signal(spec);
        long start = System.nanoTime();
        try (EmbeddingClient client = EmbeddingClient.builder(embeddingModel).defaultConcurrency(concurrency)
                .resilience(resilience).build();
             Progress progress = Progress.start(io, "embed", items.size())) {
            int perBatch = options.batchSize() > 0 ? options.batchSize() : Math.max(1, embeddingModel.maxBatchSize());
            // enough texts per call to keep every batch slot busy, few enough for steady progress and output
            int window = (int) Math.min(Integer.MAX_VALUE, Math.max(256L, 4L * perBatch * concurrency));
            for (int from = 0; from < items.size(); from += window) {
                List<InputItem> slice = items.subList(from, Math.min(items.size(), from + window));
                List<String> texts = new ArrayList<>();
                for (InputItem item : slice) {
                    if (tally.toRun(item)) {
                        texts.add(item.text());
                    }
                }
                List<Outcome<float[]>> results = texts.isEmpty() ? List.of()
                        : client.embedBatchParallel(texts, options, stop);
                int next = 0;
                for (InputItem item : slice) {
                    tally.write(item, tally.toRun(item) ? results.get(next++) : null, writer::embedding);
                }
                io.out().flush();
                progress.step(slice.size());
            }
            progress.close();
            long wall = (System.nanoTime() - start) / 1_000_000;
            tally.summary("embed", stop.isStopped(), wall, client.stats()).print(io.err(), statsJson);
        }
        return tally.exitCode(stop.isStopped());
    }

    private EmbedOptions options() {
        try {
            EmbedOptions o = EmbedOptions.concurrency(concurrency);
            if (batchSize != null) {
                if (batchSize < 1) {
                    throw new ValidationException("--batch-size", batchSize, "must be at least 1");
                }
                o = o.withBatchSize(batchSize);
            }
            return o;
        } catch (ValidationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The flags' settings for a remote provider, or null for the model's defaults. */
    private ResilienceConfig resilience() {
        try {
            remote.requireRemote(!provider.equals("local"), "the local model runs in this process");
            return remote.resilience().orElse(null);
        } catch (ValidationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private EmbeddingModel model() {
        if (!PROVIDERS.contains(provider)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--provider: unknown value '" + provider
                    + "'; use one of " + String.join("|", PROVIDERS));
        }
        if (provider.equals("local")) {
            return LocalEmbeddings.model(spec, model);
        }
        if (model == null || model.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--model is required for --provider " + provider + " (e.g. text-embedding-3-small)");
        }
        ProviderKind kind = ProviderOptions.kind(spec, provider, List.of(ProviderKind.OPENAI, ProviderKind.GEMINI,
                ProviderKind.OLLAMA, ProviderKind.COMPATIBLE));
        try {
            return Providers.embeddingModel(ProviderOptions.config(spec, kind, io), model);
        } catch (ValidationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private List<InputItem> readInput() {
        try {
            return InputReader.read(input, io.in(), "text");
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
