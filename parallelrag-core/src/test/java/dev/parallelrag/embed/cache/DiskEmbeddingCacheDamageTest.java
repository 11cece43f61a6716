package dev.parallelrag.embed.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.embed.EmbeddingSpace;
import dev.parallelrag.embed.InputType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged byte in the cache file costs the record it is in, never the records after it; older and newer formats. */
class DiskEmbeddingCacheDamageTest {

    private static final EmbeddingSpace SPACE = EmbeddingSpace.of("local/all-minilm-l6-v2");
    private static final int RECORDS = 162;
    private static final int DIMENSION = 384;
    /** marker, key, dimension, floats, checksum */
    private static final int RECORD_BYTES = 4 + CacheKey.BYTES + 4 + 4 * DIMENSION + 4;

    private static CacheKey key(int i) {
        return CacheKey.of(SPACE, InputType.DOCUMENT, "chunk " + i);
    }

    private static float[] vector(int i) {
        float[] v = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = (float) Math.sin(i * 31 + d);
        }
        return v;
    }

    private static Path fill(Path dir) {
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            for (int i = 0; i < RECORDS; i++) {
                cache.put(key(i), vector(i));
            }
        }
        return dir.resolve(DiskEmbeddingCache.FILE);
    }

    /** Offset of record {@code i} in a file written by {@link #fill}. */
    private static long record(int i) {
        return DiskEmbeddingCache.FILE_HEADER + (long) i * RECORD_BYTES;
    }

    private static void flip(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x10;
        Files.write(file, bytes);
    }

    private static void assertEveryRecordBut(DiskEmbeddingCache cache, int missing) {
        assertThat(cache.size()).isEqualTo(RECORDS - 1);
        for (int i = 0; i < RECORDS; i++) {
            if (i == missing) {
                assertThat(cache.get(key(i))).as("record %d", i).isNull();
            } else {
                assertThat(cache.get(key(i))).as("record %d", i).containsExactly(vector(i));
            }
        }
    }

    @Test
    void aFlippedByteInTheMiddleRecordCostsThatRecordAndKeepsEveryOther(@TempDir Path dir) throws IOException {
        Path file = fill(dir);
        flip(file, record(80) + 4 + CacheKey.BYTES + 4 + 100); // inside record 80's vector
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertEveryRecordBut(cache, 80);
            assertThat(cache.skippedRecords()).isEqualTo(1);
            assertThat(cache.skippedBytes()).isEqualTo(RECORD_BYTES);
            assertThat(cache.recoveredBytes()).isZero();
            cache.put(key(80), vector(80)); // embedded again, appended after the last good record
        }
        assertThat(Files.size(file)).as("nothing cut: other users may hold offsets past the damage").isEqualTo(record(RECORDS + 1));
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertThat(cache.skippedRecords()).isEqualTo(1);
            assertThat(cache.size()).isEqualTo(RECORDS);
            assertThat(cache.get(key(80))).containsExactly(vector(80));
            assertThat(cache.get(key(161))).containsExactly(vector(161));
        }
    }

    @Test
    void aDamagedRecordMarkerOrDimensionIsSkippedToTheNextRecord(@TempDir Path dir) throws IOException {
        Path file = fill(dir);
        flip(file, record(3)); // the marker: no record seems to start there
        flip(file, record(100) + 4 + CacheKey.BYTES); // the dimension: the record seems to run past the end
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertThat(cache.size()).isEqualTo(RECORDS - 2);
            assertThat(cache.get(key(3))).isNull();
            assertThat(cache.get(key(100))).isNull();
            assertThat(cache.get(key(4))).containsExactly(vector(4));
            assertThat(cache.get(key(101))).containsExactly(vector(101));
            assertThat(cache.skippedRecords()).isEqualTo(2);
        }
    }

    @Test
    void theSkipIsCountedInTheCachingModelsCounters(@TempDir Path dir) throws IOException {
        Path file = fill(dir);
        flip(file, record(10) + 50);
        try (CachingEmbeddingModel cached = CachingEmbeddingModel.onDisk(
                new CachingEmbeddingModelTest.CountingModel(SPACE), 10, dir)) {
            assertThat(cached.counters()).containsEntry("cache_records_skipped", 1L);
            assertThat(cached.cacheStats().entries()).isEqualTo(RECORDS - 1);
        }
    }

    @Test
    void aFileOfTheFirstFormatWithoutHeaderIsReadWholeAndAppendedTo(@TempDir Path dir) throws IOException {
        Path file = fill(dir);
        byte[] bytes = Files.readAllBytes(file);
        byte[] formatOne = Arrays.copyOfRange(bytes, DiskEmbeddingCache.FILE_HEADER, bytes.length); // records only
        Files.write(file, formatOne);
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertThat(cache.size()).isEqualTo(RECORDS);
            assertThat(cache.skippedRecords()).isZero();
            assertThat(cache.get(key(0))).containsExactly(vector(0));
            assertThat(cache.get(key(161))).containsExactly(vector(161));
            cache.put(key(RECORDS), vector(RECORDS));
        }
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertThat(cache.size()).isEqualTo(RECORDS + 1);
            assertThat(cache.get(key(RECORDS))).containsExactly(vector(RECORDS));
        }
        assertThat(Arrays.copyOf(Files.readAllBytes(file), formatOne.length)).isEqualTo(formatOne);
    }

    @Test
    void aFileOfANewerFormatIsLeftAloneAndTheCacheWorksAsEmpty(@TempDir Path dir) throws IOException {
        Path file = fill(dir);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(4, DiskEmbeddingCache.FORMAT_VERSION + 1);
        Files.write(file, bytes);
        try (DiskEmbeddingCache cache = DiskEmbeddingCache.open(dir)) {
            assertThat(cache.size()).isZero();
            assertThat(cache.get(key(0))).isNull();
            cache.put(key(RECORDS), vector(RECORDS));
            assertThat(cache.get(key(RECORDS))).isNull();
        }
        assertThat(Files.readAllBytes(file)).as("the newer version's file is untouched").isEqualTo(bytes);
    }
}
