package dev.parallelrag.cli;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.io.InputSource;
import dev.parallelrag.read.ReaderRegistry;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.StreamSink;
import dev.parallelrag.split.StreamedChunk;
import dev.parallelrag.split.StreamingSplitter;
import dev.parallelrag.split.TextSplitter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parallelrag split}: splits files (or standard input) into chunks, written as JSON lines or text.
 * Files are processed in argument order and streamed in segments, so memory stays flat however large they
 * are; segments are split in parallel on a CPU pool and written in order. See docs/cli.md for the contract.
 */
@Command(name = "split", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Split files into chunks. Files are read by the readers ingest uses (HTML and PDF as their text); "
                        + "other files as strict UTF-8 text.",
                "Writes one JSON object per chunk: {\"source\",\"index\",\"start\",\"end\",\"text\"}, with start/end in "
                        + "Unicode code points of the file's text (for HTML and PDF: of the text their reader extracts).",
                "Exit codes: 0 all inputs split, 1 some input failed (reported on stderr, the others continue), 2 usage error."})
public final class SplitCommand implements Callable<Integer> {

    @Mixin
    SplitterOptions splitter;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
            description = "jsonl|text (default: ${DEFAULT-VALUE})")
    ChunkWriter.Format format;

    @Option(names = "--segment-size", paramLabel = "N", defaultValue = "" + StreamingSplitter.DEFAULT_SEGMENT_CHARS,
            description = "Advanced: inputs are read and split in segments of at most N UTF-16 units, cut at a paragraph "
                    + "break, line break or whitespace; no chunk crosses a segment boundary (default: ${DEFAULT-VALUE}).")
    int segmentSize;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Files to split; none, or -, reads standard input.")
    List<String> files = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /** Standard input; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        TextSplitter textSplitter = splitter.spec().create(); // ValidationException -> one line, exit 2 (CliErrors)
        if (segmentSize < StreamingSplitter.MIN_SEGMENT_CHARS || segmentSize == Integer.MAX_VALUE) {
            throw new ValidationException("--segment-size", segmentSize,
                    "must be between " + StreamingSplitter.MIN_SEGMENT_CHARS + " and " + (Integer.MAX_VALUE - 1));
        }
        ReaderRegistry readers = ReaderRegistry.defaults(); // the readers ingest uses: split page.html splits its text
        List<InputSource> sources = new ArrayList<>();
        for (String f : files.isEmpty() ? List.of("-") : files) {
            sources.add(f.equals("-") ? InputSource.stream("-", stdin) : readers.textSource(Path.of(f)));
        }
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            StreamingSplitter streaming = StreamingSplitter.builder(textSplitter)
                    .segmentChars(segmentSize).runtime(runtime).build();
            PrintWriter stdout = spec.commandLine().getOut();
            try (ChunkWriter out = ChunkWriter.create(format, new BufferedWriter(stdout, 1 << 16))) {
                StreamingSplitter.Summary summary = streaming.splitAll(sources, new StreamSink() {
                    @Override
                    public void chunk(StreamedChunk chunk) throws IOException {
                        out.write(chunk);
                        if ((chunk.index() & 1023) == 1023 && stdout.checkError()) {
                            throw new IOException("standard output was closed");
                        }
                    }

                    @Override
                    public void sourceFailed(String sourceId, Exception error) {
                        err.println(name + ": " + CliErrors.describe(error));
                        err.flush();
                    }
                });
                return summary.failedSources() > 0 ? CliErrors.FAILURE : 0;
            }
        }
    }
}
