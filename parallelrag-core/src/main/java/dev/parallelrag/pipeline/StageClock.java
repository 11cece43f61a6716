package dev.parallelrag.pipeline;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Busy time per pipeline stage, added from many threads. */
final class StageClock {

    static final String READ = "read";
    static final String SPLIT = "split";
    static final String DEDUPE = "dedupe";
    static final String EMBED = "embed";
    static final String WRITE = "write";

    private final Map<String, LongAdder> nanos = new LinkedHashMap<>();

    StageClock() {
        for (String stage : new String[] {READ, SPLIT, DEDUPE, EMBED, WRITE}) {
            nanos.put(stage, new LongAdder());
        }
    }

    long start() {
        return System.nanoTime();
    }

    void stop(String stage, long startNanos) {
        nanos.get(stage).add(System.nanoTime() - startNanos);
    }

    Map<String, Duration> snapshot() {
        Map<String, Duration> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, Duration.ofNanos(v.sum())));
        return out;
    }
}
