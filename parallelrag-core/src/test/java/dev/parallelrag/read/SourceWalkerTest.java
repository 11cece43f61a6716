package dev.parallelrag.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceWalkerTest {

    @TempDir
    Path dir;

    private final ReaderRegistry registry = ReaderRegistry.builder().withBuiltIns().build();

    @BeforeEach
    void tree() throws Exception {
        for (String f : List.of("b.txt", "a.md", "z/c.txt", "z/y/d.txt", "drafts/e.txt", ".hidden/f.txt", ".g.txt", "photo.png")) {
            Path p = dir.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, f);
        }
    }

    private List<String> ids(SourceWalker.Result result) {
        return result.files().stream().map(SourceFile::documentId).toList();
    }

    @Test
    void walksRecursivelyInSortedOrderSkippingHiddenAndUnsupported() {
        SourceWalker.Result result = new SourceWalker(registry).walk(List.of(dir));
        String root = dir.toString();
        assertThat(ids(result)).containsExactly(root + "/a.md", root + "/b.txt", root + "/drafts/e.txt",
                root + "/z/c.txt", root + "/z/y/d.txt");
        assertThat(result.unsupported()).isEqualTo(1);
        assertThat(result.failures()).isEmpty();
    }

    @Test
    void includeAndExcludeGlobs() {
        SourceWalker walker = new SourceWalker(registry, List.of("*.txt"), List.of("drafts", "z/y/**"), false);
        String root = dir.toString();
        assertThat(ids(walker.walk(List.of(dir)))).containsExactly(root + "/b.txt", root + "/z/c.txt");
    }

    @Test
    void hiddenEntriesOnRequest() {
        SourceWalker walker = new SourceWalker(registry, List.of(), List.of(), true);
        assertThat(ids(walker.walk(List.of(dir)))).contains(dir + "/.g.txt", dir + "/.hidden/f.txt");
    }

    @Test
    void explicitFilesAreAlwaysTakenAndDuplicatesKeptOnce() {
        Path png = dir.resolve("photo.png");
        Path b = dir.resolve("b.txt");
        SourceWalker.Result result = new SourceWalker(registry).walk(List.of(png, b, dir));
        assertThat(ids(result)).startsWith(png.toString(), b.toString()).doesNotHaveDuplicates().hasSize(6);
    }

    @Test
    void relativeRootsGiveRelativeIds() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        Path rel = cwd.relativize(dir);
        assertThat(ids(new SourceWalker(registry).walk(List.of(rel))).get(0)).isEqualTo(rel + "/a.md");
    }

    @Test
    void invalidGlobIsValidationError() {
        assertThatThrownBy(() -> new SourceWalker(registry, List.of("[a"), List.of(), false))
                .isInstanceOf(ValidationException.class).hasMessageContaining("include");
    }
}
