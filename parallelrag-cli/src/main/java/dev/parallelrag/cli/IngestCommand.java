package dev.parallelrag.cli;

import dev.parallelrag.lucene.LuceneVectorStore;
import dev.parallelrag.pipeline.FileFailure;
import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestListener;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.TextSplitter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parallelrag ingest PATH...}: read, split, embed and index files; idempotent and resumable. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Index files and folders (recursively) for ask and search: read, split, embed, write.",
                "Re-running adds nothing; changed files replace their chunks; a killed run resumes where it stopped.",
                "Exit codes: 0 all files ingested, 1 some files failed (each reported on stderr), 2 usage error."})
final class IngestCommand extends IndexCommand {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to ingest.")
    List<Path> paths;

    @Mixin
    IndexOptions index;

    @Mixin
    ChunkingOptions splitter;

    @Mixin
    EmbedderOptions embedder;

    @Mixin
    RemoteCallOptions remote;

    @Option(names = "--include", paramLabel = "GLOB", description = "Only files matching a glob (repeatable), e.g. '*.md' or 'docs/**'.")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip files or directories matching a glob (repeatable).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--prune", description = "Remove the chunks of files under PATH that no longer exist.")
    boolean prune;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;


    @Override
    int run() throws Exception {
        remote.requireRemote(embedder.kind != EmbedderOptions.Kind.local, "the local model runs in this process");
        TextSplitter textSplitter = splitter.build();
        IngestConfig.Builder config = IngestConfig.builder(textSplitter).include(include).exclude(exclude).prune(prune);
        if (embedder.kind != EmbedderOptions.Kind.local) {
            config.embedConcurrency(4); // remote: overlap network round trips; the client bounds it further
        } else {
            // local: as many calls in flight as the ONNX model runs micro-batches at once (its own workers bound
            // the threads, so the cores are never oversubscribed, and they never wait for the next call)
            config.embedConcurrency(Math.max(1, Runtime.getRuntime().availableProcessors()));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IngestSummary summary;
        // the store first: its writer lock tells a second ingest of the same index apart from a busy cache
        try (LuceneVectorStore store = index.openForWriting();
             EmbedderOptions.Embedder emb = embedder.create(index.index, remote.resilience());
             ParallelRuntime runtime = ParallelRuntime.create();
             IngestProgress progress = quiet || !IngestProgress.onTerminal() ? null : new IngestProgress(System.err)) {
            store.putIndexMetadata(embedder.metadata());
            IngestListener listener = progress == null ? IngestListener.NONE : progress;
            summary = new IngestPipeline(config.build(), emb.embedder(), store, runtime).run(paths, listener);
        }
        for (FileFailure f : summary.failures()) {
            err.println("ingest: " + oneLine(f.message()));
        }
        err.flush();
        out.print(json ? summary.toJson() + System.lineSeparator() : summary.toText());
        out.flush();
        return summary.allSucceeded() ? 0 : FAILURE;
    }
}
