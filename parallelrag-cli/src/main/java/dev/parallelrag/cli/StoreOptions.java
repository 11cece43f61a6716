package dev.parallelrag.cli;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.store.StoreLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --store KIND}, {@code --pg-url URL} and {@code --pg-table NAME}: which store the index lives in. Without
 * {@code --store} the index is the {@code --index} directory (the Lucene store); {@code --store pgvector} puts it in
 * a PostgreSQL table, the URL from {@code --pg-url} or {@value #URL_ENV}. A mixin, so that every command that opens
 * an index but {@code verify} and {@code health} (and {@code spark-ingest}) reads the same options; the kinds and
 * their checks are the engine's.
 */
public final class StoreOptions {

    /** Where {@code --pg-url} comes from when it is not given. */
    public static final String URL_ENV = "PARALLELRAG_PG_URL";
    /** The store kind that lives in PostgreSQL. */
    public static final String PGVECTOR = "pgvector";

    private static final List<String> PG_OPTIONS = List.of("--pg-url", "--pg-table");

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--store", paramLabel = "KIND",
            description = "Where the index lives: lucene (the --index directory; the default) or pgvector (a PostgreSQL"
                    + " table: --pg-url, --pg-table).")
    String kind;

    @Option(names = "--pg-url", paramLabel = "URL",
            description = "With --store pgvector: the JDBC URL, e.g. jdbc:postgresql://localhost:5432/rag?user=rag"
                    + " (default: $" + URL_ENV + "). Never printed: it may hold the password.")
    String pgUrl;

    @Option(names = "--pg-table", paramLabel = "NAME",
            description = "With --store pgvector: the chunk table (default: parallelrag_chunks); one index per table.")
    String pgTable;

    /** The index's location: the {@code index} directory, or the store the options name. */
    public StoreLocation location(Path index) {
        if (kind == null || !kind.equals(PGVECTOR)) {
            for (String option : PG_OPTIONS) {
                if (given(option)) {
                    throw new ValidationException(option, "given", "applies to --store " + PGVECTOR + " only; add"
                            + " --store " + PGVECTOR + ", or leave it out for an index directory (--index)");
                }
            }
            return kind == null ? StoreLocation.directory(index) : StoreLocation.of(kind, index.toString(), Map.of());
        }
        if (given("--index")) {
            throw new ValidationException("--index", index, "names a directory, and a " + PGVECTOR + " index is a"
                    + " table; give --pg-url and --pg-table instead");
        }
        String url = pgUrl != null ? pgUrl : System.getenv("PARALLELRAG_PG_URL"); // URL_ENV
        return StoreLocation.of(PGVECTOR, url == null || url.isBlank() ? null : url,
                pgTable == null ? Map.of() : Map.of("table", pgTable));
    }

    private boolean given(String option) {
        return mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
                && mixee.commandLine().getParseResult().hasMatchedOption(option);
    }
}
