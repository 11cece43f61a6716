package dev.parallelrag.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * The cores of this executor, the budget its shared model's threads must stay within: {@code spark.executor.cores}
 * when set; in {@code local[N]} (or {@code local[N,F]}), N; otherwise (a standalone worker that gives its executor all
 * its cores, {@code local[*]}) the cores this JVM sees.
 */
final class ExecutorCores {

    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+)(?:,\\s*\\d+)?]");

    private ExecutorCores() {
    }

    static int of(SparkConf conf) {
        if (conf.contains("spark.executor.cores")) {
            return conf.getInt("spark.executor.cores", 1);
        }
        Matcher local = LOCAL.matcher(conf.get("spark.master", ""));
        if (local.matches()) {
            return Integer.parseInt(local.group(1));
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
