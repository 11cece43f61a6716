package dev.parallelrag.lucene;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** What the crash tests share: a child JVM killed part-way, and the index compared by chunk ids per document. */
final class CrashHarness {

    private CrashHarness() {
    }

    /**
     * Starts {@code main} in a child JVM with the test class path and SIGKILLs it once it prints
     * {@code written <killAfter>}, after {@code delayMillis} more; says whether the kill happened.
     */
    static String runAndKill(Class<?> main, List<String> args, int killAfter, long delayMillis) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("written " + killAfter)) {
                    Thread.sleep(delayMillis);
                    child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close, no final commit
                    child.waitFor(30, TimeUnit.SECONDS);
                    return "killed";
                }
                if (line.startsWith("done")) {
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        return "finished before the kill point";
    }

    /** The chunk ids of each document, by file name. */
    static Map<String, TreeSet<String>> snapshot(Path index) {
        try (LuceneVectorStore store = LuceneVectorStore.open(index)) {
            Map<String, TreeSet<String>> ids = new TreeMap<>();
            for (String doc : store.documentIds()) {
                ids.put(Path.of(doc).getFileName().toString(), new TreeSet<>(store.chunkIds(doc)));
            }
            return ids;
        }
    }
}
