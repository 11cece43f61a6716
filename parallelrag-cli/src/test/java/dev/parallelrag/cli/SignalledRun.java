package dev.parallelrag.cli;

import dev.parallelrag.testkit.FakeProviderServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code parallelrag} child process that gets a signal mid-run: started as {@link CliProcess} does, signalled once
 * the testkit has received a given number of requests (so requests are in flight), then waited for.
 *
 * @param exitCode the process's exit status
 * @param out      its stdout
 * @param err      its stderr
 */
record SignalledRun(int exitCode, String out, String err) {

    /**
     * Runs {@code args}, sends {@code signal} ({@code TERM} or {@code INT}) once {@code server} has received
     * {@code requests} requests, and waits for the process to end.
     *
     * @throws IllegalStateException when the run ended before it could be signalled
     */
    static SignalledRun run(Path workDir, Map<String, String> env, FakeProviderServer server, int requests, String signal,
                            String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = CliProcess.builder(workDir, env, List.of(), args);
        // a child started from a background job inherits SIGINT ignored, and a JVM leaves an ignored signal ignored
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,TERM"));
        command.addAll(pb.command());
        pb.command(command);
        Path outFile = workDir.resolve(".signalled-out-" + System.nanoTime());
        Path errFile = workDir.resolve(".signalled-err-" + System.nanoTime());
        Process p = pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (server.requestCount() < requests && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (!p.isAlive() || server.requestCount() < requests) {
                throw new IllegalStateException("parallelrag " + String.join(" ", args) + " ended or stalled before "
                        + requests + " requests (" + server.requestCount() + "): " + Files.readString(errFile));
            }
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
            kill.waitFor(30, TimeUnit.SECONDS);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("parallelrag " + String.join(" ", args) + " did not end within 120 s of SIG"
                        + signal);
            }
            return new SignalledRun(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
                    Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        }
    }

    List<String> outLines() {
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    String lastErrLine() {
        String[] lines = err.strip().split("\n");
        return lines[lines.length - 1];
    }
}
