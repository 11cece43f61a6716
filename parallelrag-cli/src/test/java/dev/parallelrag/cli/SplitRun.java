package dev.parallelrag.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs the {@code parallelrag} command in-process with captured stdout, stderr and stdin. */
record SplitRun(int exitCode, String out, String err) {

    static SplitRun run(String... args) {
        return runWithStdin(new byte[0], args);
    }

    static SplitRun runWithStdin(byte[] stdin, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin));
        try {
            CommandLine cli = ParallelRagCommand.newCommandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new SplitRun(code, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    List<String> outLines() {
        return out.isEmpty() ? List.of() : out.lines().toList();
    }

    List<String> errLines() {
        return err.isEmpty() ? List.of() : err.lines().toList();
    }
}
