package dev.parallelrag.store;

import dev.parallelrag.error.IndexCorruptException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an integrity check of an index found ({@code VectorStoreProvider.verify}, {@code ParallelRag.verify}).
 *
 * @param location     the index location
 * @param filesChecked files whose checksums were verified
 * @param bytesChecked bytes read to verify them
 * @param chunks       chunks the last commit holds (0 when it cannot be read)
 * @param problems     one entry per problem, empty for an intact index
 */
public record IntegrityReport(String location, int filesChecked, long bytesChecked, long chunks, List<Problem> problems) {

    /**
     * One problem.
     *
     * @param subject     the damaged file's name inside the location, or {@link #MANIFEST} for the index's record
     * @param description what is wrong with it
     */
    public record Problem(String subject, String description) {

        /** The subject of a problem with the index manifest rather than with one file. */
        public static final String MANIFEST = "manifest";

        @Override
        public String toString() {
            return subject + ": " + description;
        }
    }

    public IntegrityReport {
        problems = List.copyOf(problems);
    }

    /** True when nothing is wrong. */
    public boolean intact() {
        return problems.isEmpty();
    }

    /** The same report with more problems (the engine adds the manifest's to the store's). */
    public IntegrityReport with(List<Problem> more) {
        return new IntegrityReport(location, filesChecked, bytesChecked, chunks,
                Stream.concat(problems.stream(), more.stream()).toList());
    }

    /**
     * Returns quietly for an intact index.
     *
     * @throws IndexCorruptException naming every damaged file and the fix
     */
    public void requireIntact() {
        if (!intact()) {
            throw toException(null);
        }
    }

    /** The error for a damaged index, with {@code cause} (may be null) as the underlying failure. */
    public IndexCorruptException toException(Throwable cause) {
        List<String> files = problems.stream().map(Problem::subject).filter(s -> !s.equals(Problem.MANIFEST)).distinct().toList();
        return new IndexCorruptException(location, files, problems.stream().map(Problem::toString)
                .collect(Collectors.joining("; ")), cause);
    }
}
