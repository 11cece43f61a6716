package dev.parallelrag.cli;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.IndexCorruptException;
import dev.parallelrag.store.IntegrityReport;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code parallelrag verify}: the index against its checksums and its manifest ({@link ParallelRag#verify}). */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every file of the index against its checksum, then its manifest. Reads the index once,"
                + " writes nothing.",
                "Exit codes: 0 intact, 3 damaged (one line per problem on stderr, then the fix), 1 no index there."})
final class VerifyCommand extends IndexCommand {

    @Mixin
    IndexOptions index;

    @Override
    int run() {
        IntegrityReport report = ParallelRag.verify(index.index);
        if (report.intact()) {
            PrintWriter out = out();
            out.printf("index %s is intact: %d files, %.1f MB checked, %d chunks%n", report.location(),
                    report.filesChecked(), report.bytesChecked() / 1e6, report.chunks());
            out.flush();
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        for (IntegrityReport.Problem problem : report.problems()) {
            err.println(spec.qualifiedName() + ": " + oneLine(problem.toString()));
        }
        err.println(spec.qualifiedName() + ": index " + report.location() + " is corrupt; "
                + String.format(IndexCorruptException.FIX, report.location()));
        err.flush();
        return CliErrors.CORRUPT;
    }
}
