package dev.parallelrag.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names are rendered from the file system's bytes, whatever the JVM's locale (the files are made by {@link BashFiles}). */
class PathNamesTest {

    @TempDir
    Path dir;

    /** Each file of the directory, as listed by the JVM (which keeps the bytes), by its rendered name. */
    private Map<String, Path> listed() throws Exception {
        Map<String, Path> byName = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> byName.put(PathNames.render(f.getFileName()), f));
        }
        return byName;
    }

    @Test
    void namesThatAreNotUtf8AreEscapedAndNeverCollide() throws Exception {
        BashFiles.create(dir, "x\\xff.txt", "x\\xfe.txt", "\\xc3\\xbcn\\xc3\\xaf_\\xe6\\x97\\xa5\\xe6\\x9c\\xac.txt",
                "truncated\\xe6\\x97.txt");
        Map<String, Path> files = listed();
        assertThat(files).containsOnlyKeys("x\\xff.txt", "x\\xfe.txt", "ünï_日本.txt", "truncated\\xe6\\x97.txt");
        assertThat(Files.readString(files.get("x\\xff.txt"))).as("the listed path still opens the file").isEqualTo("file x\\xff.txt\n");
    }

    @Test
    void controlCharactersAndBackslashesAreEscapedSoTheRenderingIsUnambiguous() throws Exception {
        // a name that reads like an escape, the byte it would stand for, a backslash, a newline, ESC and C1 CSI
        BashFiles.create(dir, "lit\\\\xff.txt", "lit\\xff.txt", "back\\\\slash.txt", "new\\nline.txt", "esc\\x1b[31m.txt",
                "csi\\xc2\\x9b.txt");
        assertThat(listed()).containsOnlyKeys("lit\\\\xff.txt", "lit\\xff.txt", "back\\\\slash.txt", "new\\x0aline.txt",
                "esc\\x1b[31m.txt", "csi\\xc2\\x9b.txt");
    }

    @Test
    void ordinaryNamesAreUnchanged() throws Exception {
        BashFiles.create(dir, "plain-name_1.txt", "Gr\\xc3\\xbc\\xc3\\x9fe \\xe2\\x80\\x93 \\xe6\\x97\\xa5\\xe6\\x9c\\xac\\xe8\\xaa\\x9e.md",
                "with space.txt");
        assertThat(listed()).containsOnlyKeys("plain-name_1.txt", "Grüße – 日本語.md", "with space.txt");
    }

    @Test
    void documentIdsAreNormalizedSlashSeparatedPaths() throws Exception {
        BashFiles.create(dir, "x\\xff.txt");
        Path file = listed().get("x\\xff.txt");
        Path roundabout = file.getParent().resolve("sub/..").resolve(file.getFileName());
        assertThat(PathNames.documentId(roundabout)).isEqualTo(dir + "/x\\xff.txt");
        assertThat(PathNames.render(roundabout)).isEqualTo(dir + "/sub/../x\\xff.txt");
        Path relative = Path.of("").toAbsolutePath().relativize(file);
        assertThat(PathNames.documentId(relative)).isEqualTo(relative.getParent() + "/x\\xff.txt");
        assertThat(PathNames.documentId(Path.of(""))).isEqualTo(".");
        assertThat(PathNames.documentId(Path.of("a/./b/../c.txt"))).isEqualTo("a/c.txt");
        assertThat(PathNames.documentId(Path.of("/"))).isEqualTo("/");
    }

    @Test
    void aDirectoryWithAnUndecodableNameRendersLikeAFile() throws Exception {
        BashFiles.run(dir, "mkdir -p $'d\\xff'/$'e\\xfe' && printf x > $'d\\xff'/$'e\\xfe'/f.txt");
        List<Path> found;
        try (Stream<Path> walk = Files.walk(dir)) {
            found = walk.toList();
        }
        assertThat(found.stream().map(PathNames::render))
                .containsExactly(dir.toString(), dir + "/d\\xff", dir + "/d\\xff/e\\xfe", dir + "/d\\xff/e\\xfe/f.txt");
    }
}
