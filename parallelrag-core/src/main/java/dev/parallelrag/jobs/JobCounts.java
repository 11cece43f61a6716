package dev.parallelrag.jobs;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How many files of a job are in each state, and the chunks written so far.
 *
 * @param files       files in the job
 * @param byState     files per state, every state present (0 when none)
 * @param chunksAdded chunks embedded and written so far
 */
public record JobCounts(int files, Map<FileState, Integer> byState, long chunksAdded) {

    public JobCounts {
        byState = Map.copyOf(byState);
    }

    /** Files in {@code state}. */
    public int in(FileState state) {
        return byState.getOrDefault(state, 0);
    }

    static JobCounts of(List<FileStatus> files) {
        Map<FileState, Integer> counts = new EnumMap<>(FileState.class);
        for (FileState s : FileState.values()) {
            counts.put(s, 0);
        }
        long added = 0;
        for (FileStatus f : files) {
            counts.merge(f.state(), 1, Integer::sum);
            added += f.chunksAdded();
        }
        return new JobCounts(files.size(), counts, added);
    }
}
