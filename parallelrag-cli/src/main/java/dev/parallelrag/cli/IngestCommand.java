package dev.parallelrag.cli;

import dev.parallelrag.engine.IngestOptions;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.pipeline.FileFailure;
import dev.parallelrag.pipeline.IngestListener;
import dev.parallelrag.pipeline.IngestSummary;
import dev.parallelrag.runtime.StopSignal;
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
                "Exit codes: 0 all files ingested, 1 some files failed (each reported on stderr), 2 usage error,",
                "3 the index is damaged (rebuild it with --rebuild), 143/130 stopped by SIGTERM/SIGINT (what finished",
                "is committed; the same ingest again finishes it)."})
final class IngestCommand extends IndexCommand {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to ingest.")
    List<Path> paths;

    @Mixin
    IndexOptions index;

    @Mixin
    StoreOptions store;

    @Mixin
    SplitterOptions splitter;

    @Mixin
    EmbedderOptions embedder;

    @Mixin
    RemoteCallOptions remote;

    @Mixin
    StopOptions stopOptions;

    @Option(names = "--include", paramLabel = "GLOB", description = "Only files matching a glob (repeatable), e.g. '*.md' or 'docs/**'.")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip files or directories matching a glob (repeatable).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--prune", description = "Remove the chunks of files under PATH that no longer exist.")
    boolean prune;

    @Option(names = "--rebuild", description = {"Empty the index (even a damaged one) and ingest PATH... into it from scratch.",
            "Keeps the recorded embedder and splitter and the embedding cache, so unchanged text is not embedded again."})
    boolean rebuild;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;


    @Override
    int run() throws Exception {
        ParallelRag.Builder engine = embedder.apply(ParallelRag.builder(store.location(index.index))).rebuild(rebuild);
        remote.resilience().ifPresent(engine::embedderResilience);
        if (splitter.given()) {
            engine.splitter(splitter.spec());
        }
        StopSignal stop = stopOptions.signal(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IngestSummary summary;
        try (ParallelRag rag = engine.build();
             IngestProgress progress = quiet || !IngestProgress.onTerminal() ? null : new IngestProgress(System.err)) {
            summary = rag.ingest(paths, IngestOptions.builder().include(include).exclude(exclude).prune(prune)
                    .listener(progress == null ? IngestListener.NONE : progress).stop(stop).build());
        }
        for (FileFailure f : summary.failures()) {
            err.println("ingest: " + oneLine(f.message()));
        }
        if (summary.interrupted()) {
            err.println("ingest: interrupted: " + summary.documentsNotRun() + " files not run; what finished is"
                    + " committed, and the same ingest again finishes the rest");
        }
        err.flush();
        out.print(json ? summary.toJson() + System.lineSeparator() : summary.toText());
        out.flush();
        if (stop.isStopped()) {
            return CliErrors.TERMINATED;
        }
        return summary.allSucceeded() ? 0 : FAILURE;
    }
}
