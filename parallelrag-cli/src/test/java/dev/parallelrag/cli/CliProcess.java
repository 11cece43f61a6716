package dev.parallelrag.cli;

import dev.parallelrag.UserCacheDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@code parallelrag} in a child JVM with the test class path, a working directory and extra
 * environment variables (provider base URLs and keys come from the environment, which a running JVM
 * cannot change). Its per-user cache directory is {@value #USER_CACHE} in the working directory.
 */
record CliProcess(int exitCode, String out, String err) {

    /** The per-user cache directory of the processes, inside their working directory unless the test gives one. */
    static final String USER_CACHE = ".user-cache";

    static CliProcess run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(workDir, env, List.of(), args);
    }

    /** As {@link #run(Path, Map, String...)}, with options for the child JVM (e.g. its {@code java.io.tmpdir}). */
    static CliProcess run(Path workDir, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        return start(workDir, env, javaCommand(jvmOptions, args), args);
    }

    /**
     * Runs it on a pseudo-terminal (util-linux {@code script}), as an operator at a shell does: the console
     * is a terminal, and what the child writes to stdout and stderr arrives merged, in {@link #out()}.
     */
    static CliProcess runOnTerminal(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        String shellCommand = javaCommand(List.of(), args).stream().map(CliProcess::shellQuoted).collect(Collectors.joining(" "));
        return start(workDir, env, List.of("script", "--quiet", "--return", "--command", shellCommand, "/dev/null"), args);
    }

    /** The child's process builder, for tests that start it and end it themselves. */
    static ProcessBuilder builder(Path workDir, Map<String, String> env, List<String> jvmOptions, String... args) {
        return processBuilder(workDir, env, javaCommand(jvmOptions, args));
    }

    private static List<String> javaCommand(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        // each child runs one command for seconds, and the CLI suite starts a few hundred: C2 compiles and a
        // concurrent collector's threads cost more CPU than such a run wins back (about 40 % of a search's CPU
        // time, a quarter of a 2,000-chunk local ingest's). The launcher starts search and ask the same way.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("--enable-native-access=ALL-UNNAMED"); // as the launcher does
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // as the launcher does: protobuf's warning is not ours
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ParallelRagCommand.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static ProcessBuilder processBuilder(Path workDir, Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL") || k.equals("OLLAMA_HOST"));
        // the per-user cache of the test's own: the embeddings of one test (or of an earlier build) must not answer
        // the embedding requests of another; the runs of one test share it, as one user's runs do
        pb.environment().put(UserCacheDirectory.ENV, workDir.resolve(USER_CACHE).toAbsolutePath().toString());
        pb.environment().putAll(env);
        return pb;
    }

    private static CliProcess start(Path workDir, Map<String, String> env, List<String> command, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder pb = processBuilder(workDir, env, command);
        Path outFile = workDir.resolve(".cli-out-" + System.nanoTime());
        Path errFile = workDir.resolve(".cli-err-" + System.nanoTime());
        Process p = pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("parallelrag " + String.join(" ", args) + " did not finish in 120 s");
        }
        String out = Files.readString(outFile, StandardCharsets.UTF_8);
        String err = Files.readString(errFile, StandardCharsets.UTF_8);
        Files.deleteIfExists(outFile);
        Files.deleteIfExists(errFile);
        return new CliProcess(p.exitValue(), out, err);
    }
}
