package dev.parallelrag.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's native libraries, kept in the model cache directory instead of copied by every process. */
class NativeLibraryCacheTest {

    @Test
    void theLibrariesAreCopiedOnceAndReusedWhileTheyMatchTheJar(@TempDir Path cache) throws IOException {
        List<NativeLibraryCache.Library> libraries = bundledHere();

        Path dir = NativeLibraryCache.extract(cache).orElseThrow();
        assertThat(dir.getParent()).isEqualTo(cache.resolve(NativeLibraryCache.SUBDIRECTORY));
        for (NativeLibraryCache.Library library : libraries) {
            assertThat(Files.readAllBytes(dir.resolve(library.fileName()))).isEqualTo(bytes(library));
        }
        Path first = dir.resolve(libraries.getFirst().fileName());
        FileTime written = Files.getLastModifiedTime(first);

        assertThat(NativeLibraryCache.extract(cache)).contains(dir);
        assertThat(Files.getLastModifiedTime(first)).isEqualTo(written);
    }

    @Test
    void aDamagedLibraryIsNeverUsedButCopiedAgain(@TempDir Path cache) throws IOException {
        List<NativeLibraryCache.Library> libraries = bundledHere();
        Path dir = NativeLibraryCache.extract(cache).orElseThrow();
        Path library = dir.resolve(libraries.getFirst().fileName());
        ModelCacheTest.flipAByteInTheMiddle(library);

        assertThat(NativeLibraryCache.extract(cache)).contains(dir);
        assertThat(Files.readAllBytes(library)).isEqualTo(bytes(libraries.getFirst()));
    }

    @Test
    void aDirectoryThatCannotBeCreatedLeavesTheLibrariesToOnnxRuntime(@TempDir Path tmp) throws IOException {
        bundledHere();
        Path notADirectory = Files.writeString(tmp.resolve("file"), "in the way");

        assertThat(NativeLibraryCache.extract(notADirectory.resolve("cache"))).isEmpty();
    }

    @Test
    void aProcessLoadsOnnxRuntimeFromTheCopy(@TempDir Path cache) throws Exception {
        assumeThat(Path.of("/proc/self/maps")).as("the loaded library is read from /proc (Linux)").exists();
        bundledHere();

        List<String> out = ModelCacheTest.childOutput(cache).call();

        Path dir = NativeLibraryCache.extract(cache).orElseThrow();
        assertThat(out).contains("native library " + dir.resolve(System.mapLibraryName("onnxruntime")));
    }

    @Test
    void nothingOfOnnxRuntimeStaysInTheTemporaryDirectoryOnceTheModelIsLoaded(@TempDir Path dir) throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        List<String> out = ModelCacheTest.childOutput(cache, tmp).call();

        // printed while the model is open: gone before any inference, so a SIGKILL or a crash leaves nothing either
        assertThat(out).contains("temporary entries []");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("onnxruntime"));
        }
    }

    @Test
    void withoutTheCacheOnnxRuntimesOwnCopyIsRemovedToo(@TempDir Path tmp) throws Exception {
        bundledHere();

        // no model cache: ONNX Runtime copies its 22 MB of libraries into the temporary directory itself
        List<String> out = ModelCacheTest.childOutput(Path.of(ModelCacheChild.NO_CACHE), tmp).call();

        assertThat(out).contains("temporary entries []");
    }

    private static List<NativeLibraryCache.Library> bundledHere() {
        List<NativeLibraryCache.Library> libraries = NativeLibraryCache.bundled().orElse(List.of());
        assumeThat(libraries).as("ONNX Runtime's jar carries libraries for " + NativeLibraryCache.platform()).isNotEmpty();
        return libraries;
    }

    private static byte[] bytes(NativeLibraryCache.Library library) throws IOException {
        try (InputStream in = library.url().openStream()) {
            return in.readAllBytes();
        }
    }
}
