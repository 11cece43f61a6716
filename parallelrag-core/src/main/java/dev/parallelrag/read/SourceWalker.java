package dev.parallelrag.read;

import dev.parallelrag.error.ValidationException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds the files to ingest under a list of paths, in a deterministic order: paths in the order given,
 * and within a directory, entries sorted by name (directories walked recursively, depth first).
 *
 * <p>Rules, in this order, for each entry found while walking a directory:
 * <ol>
 *   <li>names starting with {@code .} (hidden files and directories such as {@code .git} or the
 *       {@code .parallelrag} index) are skipped unless {@code includeHidden} is set;</li>
 *   <li>an entry matching an exclude glob is skipped (a matching directory is not walked);</li>
 *   <li>a file with no registered reader is skipped (counted in {@link Result#unsupported()});</li>
 *   <li>when include globs are given, a file must match at least one.</li>
 * </ol>
 * Globs use {@link java.nio.file.FileSystem#getPathMatcher} syntax. A glob containing '/' matches the path
 * relative to the walked directory (e.g. {@code drafts/**}); a glob without '/' matches the file or
 * directory name (e.g. {@code *.md}). A path given explicitly as a file is always taken, whatever its
 * name, so a bad explicit path is reported rather than ignored. Symbolic links to directories are not
 * followed (no cycles); links to files are taken, and a broken link is reported when read.
 * Directories that cannot be listed, and entries that cannot be looked at, are reported in
 * {@link Result#failures()}; the walk continues. Document ids are {@link PathNames#documentId} of the path as
 * walked: built from the bytes of each name, so they do not depend on the locale and two distinct files
 * never share one (names that are not valid UTF-8 are escaped, {@code x\xff.txt}). Globs are matched against
 * the names as the JVM decodes them.
 */
public final class SourceWalker {

    private final ReaderRegistry registry;
    private final List<PathMatcher> includes;
    private final List<PathMatcher> excludes;
    private final List<Boolean> includeHasSlash;
    private final List<Boolean> excludeHasSlash;
    private final boolean includeHidden;

    /** Files found, unreadable directories, and the number of files skipped for lack of a reader. */
    public record Result(List<SourceFile> files, List<DocumentReadException> failures, int unsupported) {
        public Result {
            files = List.copyOf(files);
            failures = List.copyOf(failures);
        }
    }

    /**
     * @param registry      decides which extensions are supported
     * @param includeGlobs  globs a walked file must match (empty: every supported file)
     * @param excludeGlobs  globs that skip a file or directory
     * @param includeHidden walk and take names starting with '.'
     */
    public SourceWalker(ReaderRegistry registry, List<String> includeGlobs, List<String> excludeGlobs, boolean includeHidden) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.includes = compile("include", includeGlobs);
        this.excludes = compile("exclude", excludeGlobs);
        this.includeHasSlash = includeGlobs.stream().map(g -> g.contains("/")).toList();
        this.excludeHasSlash = excludeGlobs.stream().map(g -> g.contains("/")).toList();
        this.includeHidden = includeHidden;
    }

    public SourceWalker(ReaderRegistry registry) {
        this(registry, List.of(), List.of(), false);
    }

    /**
     * Walks the given files and directories. Duplicates (one file reached twice) are kept once. An entry that
     * cannot be looked at is a failure in {@link Result#failures()}, never an exception: the walk goes on.
     */
    public Result walk(List<Path> roots) {
        Map<String, SourceFile> found = new LinkedHashMap<>();
        List<DocumentReadException> failures = new ArrayList<>();
        int[] unsupported = {0};
        for (Path root : roots) {
            try {
                if (Files.isDirectory(root)) {
                    walkDirectory(root, root, found, failures, unsupported);
                } else {
                    String id = PathNames.documentId(root);
                    found.putIfAbsent(id, new SourceFile(root, id));
                }
            } catch (RuntimeException e) {
                failures.add(unwalkable(root, e));
            }
        }
        return new Result(new ArrayList<>(found.values()), failures, unsupported[0]);
    }

    private void walkDirectory(Path root, Path dir, Map<String, SourceFile> found, List<DocumentReadException> failures,
                               int[] unsupported) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException | RuntimeException e) {
            failures.add(new DocumentReadException(dir.normalize(), DocumentReadException.Problem.UNREADABLE,
                    "cannot list directory: " + e.getClass().getSimpleName() + " " + e.getMessage() + "; check its permissions", e));
            return;
        }
        // The entries keep the file system's bytes; nothing here turns a name into a string and back into a
        // path, which fails (InvalidPathException) for a name the JVM's file-name encoding cannot represent.
        // Sorted by the names' bytes as rendered, so names that decode alike (x\xff.txt, x\xfe.txt) keep one order.
        List<Map.Entry<String, Path>> sorted = new ArrayList<>(entries.size());
        for (Path entry : entries) {
            try {
                sorted.add(Map.entry(PathNames.render(entry), entry));
            } catch (RuntimeException e) {
                failures.add(unwalkable(entry, e));
            }
        }
        sorted.sort(Map.Entry.comparingByKey());
        for (Map.Entry<String, Path> named : sorted) {
            Path entry = named.getValue();
            try {
                walkEntry(root, entry, found, failures, unsupported);
            } catch (RuntimeException e) {
                failures.add(unwalkable(entry, e));
            }
        }
    }

    private void walkEntry(Path root, Path entry, Map<String, SourceFile> found, List<DocumentReadException> failures,
                           int[] unsupported) {
        Path name = entry.getFileName();
        if (!includeHidden && name.toString().startsWith(".")) {
            return;
        }
        Path relative = root.relativize(entry);
        if (matchesAny(excludes, excludeHasSlash, relative, name)) {
            return;
        }
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            walkDirectory(root, entry, found, failures, unsupported);
            return;
        }
        if (!registry.supports(entry)) {
            unsupported[0]++;
            return;
        }
        if (!includes.isEmpty() && !matchesAny(includes, includeHasSlash, relative, name)) {
            return;
        }
        String id = PathNames.documentId(entry);
        found.putIfAbsent(id, new SourceFile(entry, id));
    }

    /** An entry the walk could not look at (an unexpected error of the file system), reported and skipped. */
    private static DocumentReadException unwalkable(Path path, RuntimeException e) {
        return new DocumentReadException(path.normalize(), DocumentReadException.Problem.UNREADABLE,
                "cannot be walked: " + e.getClass().getSimpleName() + " " + e.getMessage() + "; the other files are ingested", e);
    }

    private static boolean matchesAny(List<PathMatcher> matchers, List<Boolean> hasSlash, Path relative, Path name) {
        for (int i = 0; i < matchers.size(); i++) {
            if (matchers.get(i).matches(hasSlash.get(i) ? relative : name)) {
                return true;
            }
        }
        return false;
    }

    private static List<PathMatcher> compile(String field, List<String> globs) {
        Objects.requireNonNull(globs, field);
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : globs) {
            if (glob == null || glob.isBlank()) {
                throw new ValidationException(field, glob, "must be a non-blank glob such as \"*.md\" or \"docs/**\"");
            }
            try {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            } catch (IllegalArgumentException e) {
                throw new ValidationException(field, glob, "is not a valid glob (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
        }
        return List.copyOf(matchers);
    }
}
