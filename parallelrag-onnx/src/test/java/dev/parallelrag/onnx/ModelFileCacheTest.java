package dev.parallelrag.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.UserCacheDirectory;
import dev.parallelrag.onnx.graph.GraphFusions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model cache's files: keys, stamps, verification and clean-up, on small files instead of models. */
class ModelFileCacheTest {

    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);

    @Test
    void keysDifferByContentAndByVariant() {
        assertThat(ModelFileCache.key(HASH_A, "fused-1")).isEqualTo(ModelFileCache.key(HASH_A, "fused-1"))
                .isNotEqualTo(ModelFileCache.key(HASH_B, "fused-1"))
                .isNotEqualTo(ModelFileCache.key(HASH_A, "fused-2"))
                .isNotEqualTo(ModelFileCache.key(HASH_A, SessionLoader.EXPORTED))
                .matches("[0-9a-f]{64}");
        assertThat(SessionLoader.variant(true)).isEqualTo("fused-" + GraphFusions.VERSION);
        assertThat(SessionLoader.variant(false)).isEqualTo(SessionLoader.EXPORTED);
    }

    @Test
    void anEntryIsFoundWhileItMatchesItsChecksumAndDeletedOnceItDoesNot(@TempDir Path tmp) throws IOException {
        ModelFileCache cache = ModelFileCache.open(tmp.resolve("cache")).orElseThrow();
        ModelSource source = ModelSource.file(Files.writeString(tmp.resolve("model.onnx"), "model"));
        Path entry = cache.store(source, "fused-1", out -> out.write("fused bytes".getBytes(StandardCharsets.UTF_8)), () -> HASH_A);
        String key = ModelFileCache.key(HASH_A, "fused-1");

        assertThat(entry.getFileName().toString()).startsWith(key + "-11-");
        assertThat(cache.find(key)).isEqualTo(new ModelFileCache.Lookup(java.util.Optional.of(entry), false));
        assertThat(cache.contentHash(source)).contains(HASH_A);

        Files.writeString(entry, "fused bytez"); // same size, other bytes
        assertThat(cache.find(key)).isEqualTo(new ModelFileCache.Lookup(java.util.Optional.empty(), true));
        assertThat(entry).doesNotExist();
    }

    @Test
    void aRewrittenSourceFileHasANewStampAndSoNoRememberedHash(@TempDir Path tmp) throws IOException {
        ModelFileCache cache = ModelFileCache.open(tmp.resolve("cache")).orElseThrow();
        Path file = Files.writeString(tmp.resolve("model.onnx"), "model one");
        ModelSource source = ModelSource.file(file);
        String before = source.stamp().orElseThrow();
        cache.store(source, "fused-1", out -> out.write(1), () -> HASH_A);

        Files.writeString(file, "model two!");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(source.stamp()).isPresent().get().isNotEqualTo(before);
        assertThat(cache.contentHash(source)).isEmpty();
    }

    @Test
    void aBundledModelIsStampedByItsJarWithoutReadingIt() {
        assertThat(ModelSource.bundled(BundledModel.ALL_MINILM_L6_V2).stamp()).isPresent().get().asString()
                .startsWith("file ").contains(".jar size ").endsWith(" entry all-minilm-l6-v2.onnx");
        assertThat(new ModelSource(null, "no-such-model.onnx", "no-such-artifact").stamp()).isEmpty();
    }

    @Test
    void aRememberedHashThatIsNotAHashIsIgnored(@TempDir Path tmp) throws IOException {
        ModelFileCache cache = ModelFileCache.open(tmp.resolve("cache")).orElseThrow();
        ModelSource source = ModelSource.file(Files.writeString(tmp.resolve("model.onnx"), "model"));
        cache.store(source, "fused-1", out -> out.write(1), () -> HASH_A);
        try (var memos = Files.list(tmp.resolve("cache").resolve(ModelFileCache.SOURCES))) {
            Files.writeString(memos.findFirst().orElseThrow(), "not a hash");
        }

        assertThat(cache.contentHash(source)).isEmpty();
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsNoCache(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "in the way");

        assertThat(ModelFileCache.open(file.resolve("cache"))).isEmpty();
    }

    @Test
    void temporaryFilesLeftByADeadWriterAreRemovedAndFreshOnesKept(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("cache");
        ModelFileCache cache = ModelFileCache.open(dir).orElseThrow();
        Path abandoned = Files.writeString(dir.resolve("entry-1.tmp"), "half");
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path inProgress = Files.writeString(dir.resolve("entry-2.tmp"), "half");

        cache.store(ModelSource.file(Files.writeString(tmp.resolve("m.onnx"), "m")), "fused-1", out -> out.write(1), () -> HASH_A);

        assertThat(abandoned).doesNotExist();
        assertThat(inProgress).exists();
    }

    @Test
    void theDefaultModelCacheIsInTheUserCacheDirectoryAndTheSettingIsKeptByToBuilder(@TempDir Path tmp) {
        OnnxEmbeddingConfig defaults = OnnxEmbeddingConfig.defaults();
        assertThat(defaults.modelCacheDirectory()).contains(OnnxEmbeddingConfig.defaultModelCacheDirectory());
        assertThat(OnnxEmbeddingConfig.defaultModelCacheDirectory())
                .isEqualTo(UserCacheDirectory.resolve().resolve(OnnxEmbeddingConfig.MODEL_CACHE_SUBDIRECTORY));

        OnnxEmbeddingConfig own = OnnxEmbeddingConfig.builder().modelCacheDirectory(tmp.resolve("x/../models")).build();
        assertThat(own.modelCacheDirectory()).contains(tmp.resolve("models"));
        assertThat(own.toBuilder().threads(1).build().modelCacheDirectory()).contains(tmp.resolve("models"));
        assertThat(own.toBuilder().noModelCache().build().toBuilder().build().modelCacheDirectory()).isEmpty();
    }
}
