package dev.parallelrag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.stats.ClientStats;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The end-of-run summary on stderr: items, successes, failures, wall time and the client's stats; with
 * {@code --stats json} the same as one JSON object on the last stderr line.
 *
 * @param notRun      items a stop (SIGTERM, SIGINT) left undone; not counted in {@code failed}
 * @param reused      successes copied from the {@code --retry-failed} file, counted in {@code succeeded}
 * @param interrupted whether the run was stopped
 */
record RunSummary(String command, long items, long succeeded, long failed, long notRun, long reused,
                  boolean interrupted, long wallMillis, ClientStats client) {

    private static final ObjectMapper JSON = new ObjectMapper();

    void print(PrintStream err, boolean json) {
        double seconds = wallMillis / 1000.0;
        err.printf(Locale.ROOT, "%s: %d items, %d ok, %d failed%s in %.2f s (%.1f items/s)%n", command, items,
                succeeded, failed, reused > 0 ? " (" + reused + " ok from --retry-failed)" : "", seconds,
                seconds > 0 ? items / seconds : 0.0);
        if (interrupted) {
            err.printf(Locale.ROOT, "%s: interrupted: %d items not run; run it again with --retry-failed <this output>"
                    + " to finish them%n", command, notRun);
        }
        if (client != null) {
            err.println("  " + client);
        }
        if (json) {
            err.println(toJson());
        }
        err.flush();
    }

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("items", items);
        m.put("succeeded", succeeded);
        m.put("failed", failed);
        m.put("not_run", notRun);
        m.put("reused", reused);
        m.put("interrupted", interrupted);
        m.put("wall_ms", wallMillis);
        m.put("items_per_s", wallMillis > 0 ? items * 1000.0 / wallMillis : 0.0);
        if (client != null) {
            m.put("client", client.toMap());
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("summary could not be written as JSON", e);
        }
    }
}
