package dev.parallelrag.lucene;

import dev.parallelrag.error.IndexCorruptException;
import dev.parallelrag.store.IntegrityReport;
import dev.parallelrag.store.IntegrityReport.Problem;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * Checks a Lucene index against the checksums Lucene writes at the end of every file: each file of the last
 * commit is read once, start to end ({@link CodecUtil#checksumEntireFile}). That catches any flipped byte or
 * zeroed block, which searching does not (a damaged stored field is served as it reads), at the cost of one
 * sequential read of the index (about 1 GB/s with a warm page cache). {@code CheckIndex} would also decode every
 * posting and vector: more work, which finds bugs in Lucene rather than damage on disk.
 */
final class LuceneIntegrityCheck {

    private static final Pattern RESOURCE_PATH = Pattern.compile("path=\"([^\"]+)\"");

    private LuceneIntegrityCheck() {
    }

    /**
     * The report for the last commit in {@code directory}.
     *
     * @throws org.apache.lucene.index.IndexNotFoundException when it holds no commit
     */
    static IntegrityReport verify(Directory directory, String location) throws IOException {
        SegmentInfos commit;
        try {
            commit = SegmentInfos.readLatestCommit(directory);
        } catch (CorruptIndexException | EOFException | NoSuchFileException | FileNotFoundException e) {
            return unreadableCommit(directory, location, e);
        }
        List<Problem> problems = new ArrayList<>();
        int files = 0;
        long bytes = 0;
        for (String name : commit.files(true).stream().sorted().toList()) {
            files++;
            try {
                bytes += checksum(directory, name);
            } catch (CorruptIndexException | EOFException e) {
                problems.add(new Problem(name, describe(e)));
            } catch (NoSuchFileException | FileNotFoundException e) {
                problems.add(new Problem(name, "is missing; the last commit needs it"));
            }
        }
        long chunks = 0;
        for (SegmentCommitInfo segment : commit) {
            chunks += segment.info.maxDoc() - segment.getDelCount();
        }
        return new IntegrityReport(location, files, bytes, chunks, problems);
    }

    /**
     * The commit record ({@code segments_N}) or a segment's header ({@code .si}) is unreadable: find which by
     * checking each such file, since Lucene reads them all before it can list the rest.
     */
    private static IntegrityReport unreadableCommit(Directory directory, String location, IOException failure)
            throws IOException {
        List<Problem> problems = new ArrayList<>();
        int files = 0;
        long bytes = 0;
        for (String name : directory.listAll()) {
            boolean record = name.startsWith(IndexFileNames.SEGMENTS + "_") || name.endsWith(".si");
            if (!record) {
                continue;
            }
            files++;
            try {
                bytes += checksum(directory, name);
            } catch (CorruptIndexException | EOFException e) {
                problems.add(new Problem(name, describe(e)));
            }
        }
        if (problems.isEmpty()) {
            String file = failure instanceof NoSuchFileException n && n.getFile() != null ? fileName(n.getFile())
                    : failure instanceof CorruptIndexException c ? fileOf(c) : IndexFileNames.SEGMENTS;
            problems.add(new Problem(file, failure instanceof NoSuchFileException || failure instanceof FileNotFoundException
                    ? "is missing; the last commit needs it" : describe(failure)));
        }
        return new IntegrityReport(location, files, bytes, 0, problems);
    }

    /** Reads the whole file and compares its checksum with the one in its footer; returns its length. */
    private static long checksum(Directory directory, String name) throws IOException {
        try (IndexInput in = directory.openInput(name, IOContext.READONCE)) {
            CodecUtil.checksumEntireFile(in);
            return in.length();
        }
    }

    private static String describe(IOException e) {
        if (e instanceof CorruptIndexException c) {
            return c.getOriginalMessage();
        }
        return "is cut short (" + e.getMessage() + ")";
    }

    /** The damage Lucene met while reading, as an error naming the file it was reading. */
    static IndexCorruptException corruption(String location, CorruptIndexException e) {
        String file = fileOf(e);
        return new IndexCorruptException(location, List.of(file), file + ": " + e.getOriginalMessage(), e);
    }

    /** The file a Lucene corruption error was raised for, from its resource description. */
    static String fileOf(CorruptIndexException e) {
        Matcher m = RESOURCE_PATH.matcher(String.valueOf(e.getResourceDescription()));
        return m.find() ? fileName(m.group(1)) : String.valueOf(e.getResourceDescription());
    }

    private static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }
}
