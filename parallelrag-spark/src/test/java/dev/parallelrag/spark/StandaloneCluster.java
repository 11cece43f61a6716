package dev.parallelrag.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on 127.0.0.1: one Master and Worker JVMs started from the Spark jars this build
 * resolved (the test JVM's own class path), each worker with one core. The workers launch their executors from a
 * minimal Spark home (a {@code RELEASE} file and an empty {@code jars/}), so an executor's class path is exactly the
 * application's ({@code spark.executor.extraClassPath}). Logs go to files under {@code dir}.
 */
final class StandaloneCluster implements AutoCloseable {

    private final Path dir;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final int masterPort;

    StandaloneCluster(Path dir, int workerCount) {
        this.dir = dir;
        try {
            Path home = Files.createDirectories(dir.resolve("spark-home"));
            Files.createDirectories(home.resolve("jars"));
            Files.writeString(home.resolve("RELEASE"), "Spark from the parallelrag-spark test class path\n");
            masterPort = freePort();
            master = start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort())));
            for (int i = 1; i <= workerCount; i++) {
                Path work = Files.createDirectories(dir.resolve("work-" + i));
                workers.add(start("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", "1", "--memory", "1536m", "--webui-port", Integer.toString(freePort()),
                        "--work-dir", work.toString(), masterUrl())));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The flags every Spark JVM needs on this JDK, as the build passes them to the tests. */
    static String jvmFlags() {
        return System.getProperty("parallelrag.spark.jvm.flags", "");
    }

    /** SIGKILL for worker {@code n} (from 1) and the executor JVM it started: the machine is gone, nothing cleans up. */
    void kill(int n) throws InterruptedException {
        Process worker = workers.get(n - 1);
        List<ProcessHandle> executors = worker.descendants().toList();
        worker.destroyForcibly();
        executors.forEach(ProcessHandle::destroyForcibly);
        worker.waitFor(30, TimeUnit.SECONDS);
    }

    private Process start(String name, List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(List.of(jvmFlags().split(" ")));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        if (master != null) {
            master.destroyForcibly();
        }
    }
}
