package dev.parallelrag.stress;

import java.util.List;

/**
 * One sample of the soak JVM, with the work done so far.
 *
 * @param seconds         since the workload started
 * @param rssKb           resident set size ({@code VmRSS} of {@code /proc/self/status})
 * @param heapAfterGc     bytes of heap in use right after a full collection
 * @param threads         live platform threads (virtual threads are not counted by the JVM)
 * @param fds             open file descriptors ({@code /proc/self/fd})
 * @param ingests         ingest rounds finished
 * @param searches        searches answered
 * @param completions     prompts answered
 * @param errors          work that failed (any failure fails the soak)
 */
record SoakSample(double seconds, long rssKb, long heapAfterGc, int threads, int fds, long ingests, long searches,
                  long completions, long errors) {

    static final String CSV_HEADER = "seconds,rss_kb,heap_after_gc_bytes,threads,fds,ingests,searches,completions,errors";

    String csv() {
        return String.format(java.util.Locale.ROOT, "%.1f,%d,%d,%d,%d,%d,%d,%d,%d", seconds, rssKb, heapAfterGc, threads,
                fds, ingests, searches, completions, errors);
    }

    static SoakSample parse(String line) {
        List<String> f = List.of(line.split(","));
        if (f.size() != 9) {
            throw new IllegalArgumentException("a soak sample has 9 columns (" + CSV_HEADER + "), got: " + line);
        }
        return new SoakSample(Double.parseDouble(f.get(0)), Long.parseLong(f.get(1)), Long.parseLong(f.get(2)),
                Integer.parseInt(f.get(3)), Integer.parseInt(f.get(4)), Long.parseLong(f.get(5)), Long.parseLong(f.get(6)),
                Long.parseLong(f.get(7)), Long.parseLong(f.get(8)));
    }
}
