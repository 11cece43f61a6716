package dev.parallelrag.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --index DIR} option shared by ingest, ask, search and stats. */
final class IndexOptions {

    /** Where the index lives when {@code --index} is not given: {@code .parallelrag/} in the working directory. */
    static final String DEFAULT_INDEX = ".parallelrag";

    @Option(names = "--index", paramLabel = "DIR", defaultValue = DEFAULT_INDEX,
            description = "Index directory (default: ${DEFAULT-VALUE} in the current directory).")
    Path index;
}
