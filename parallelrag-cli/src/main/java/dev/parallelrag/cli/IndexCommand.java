package dev.parallelrag.cli;

import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.ValidationException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of ingest, ask, search, stats, verify and health: runs the command and turns an escaping error into one line on
 * stderr ({@code parallelrag <command>: <message>}) with the exit code of the CLI contract: 2 for a
 * validation (usage) error, 3 for a damaged index, 1 for any other failure. No stack trace unless {@code PARALLELRAG_DEBUG} is set.
 */
abstract class IndexCommand implements Callable<Integer> {

    static final int FAILURE = 1;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    /** The command's work; returns its exit code. */
    abstract int run() throws Exception;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (ValidationException e) {
            return fail(asOption(e));
        } catch (Exception e) {
            return fail(e);
        }
    }

    /** The engine's setting names, as the options that set them. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(Map.entry("k", "--k"), Map.entry("mode", "--mode"),
            Map.entry("embedder.kind", "--embedder"), Map.entry("embedder.model", "--model"), Map.entry("model", "--model"),
            Map.entry("embeddingCacheDirectory", "--embedding-cache"), Map.entry("cacheDirectory", "--embedding-cache"),
            Map.entry("embedderResilience", RemoteCallOptions.FLAGS), Map.entry("store", "--store"),
            Map.entry("pgvector.url", "--pg-url"), Map.entry("pgvector.table", "--pg-table"));

    private static ValidationException asOption(ValidationException e) {
        String option = OPTIONS.get(e.field());
        return option == null ? e : new ValidationException(option, e.value(), e.rule());
    }

    private int fail(Exception e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + describe(e));
        if (System.getenv("PARALLELRAG_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return CliErrors.exitCode(e);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof ParallelRagException && message != null) {
            return oneLine(message);
        }
        return oneLine(e.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
