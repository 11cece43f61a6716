package dev.parallelrag.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.store.InMemoryVectorStore;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must show 5: a folder with an unreadable file, invalid UTF-8, an empty file, a 50 MB single-line file
 * and a binary file. Everything readable is ingested and each problem is reported with its path.
 *
 * <p>Tests run as root, where {@code chmod 000} does not stop reads, so "unreadable" is made two ways that
 * hold for root too: a dangling symbolic link {@code unreadable.txt}, and a FIFO {@code pipe.txt} (opening
 * it would block forever; the reader refuses non-regular files instead).
 */
class FailureIsolationTest {

    @TempDir
    Path dir;

    @Test
    void everyProblemIsReportedWithItsPathAndTheRestIsIngested() throws Exception {
        Files.writeString(dir.resolve("good-1.txt"), "Emancipation was proclaimed in the midst of civil war.\n\nIt changed the war.");
        Files.writeString(dir.resolve("good-2.md"), "# Canals\n\nThe canals connect the lakes to the sea.\n");
        Files.createSymbolicLink(dir.resolve("unreadable.txt"), dir.resolve("missing-target"));
        boolean fifo = new ProcessBuilder("mkfifo", dir.resolve("pipe.txt").toString()).start().waitFor() == 0;
        Files.write(dir.resolve("invalid.txt"), new byte[] {'o', 'k', ' ', (byte) 0xC3, '(', ' ', 'x'});
        Files.write(dir.resolve("empty.txt"), new byte[0]);
        Files.write(dir.resolve("binary.txt"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        Path big = dir.resolve("big-one-line.txt");
        long bigBytes = writeSingleLine(big, 50L * 1024 * 1024);

        InMemoryVectorStore store = new InMemoryVectorStore();
        HashingEmbeddingModel model = new HashingEmbeddingModel(32);
        List<IngestEvent> events = new ArrayList<>();
        IngestSummary summary;
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            IngestConfig config = IngestConfig.builder(Splitters.recursive(2000, 0)).build();
            summary = new IngestPipeline(config, model, store, runtime).run(List.of(dir), events::add);
        }

        Map<String, FileFailure> failures = summary.failures().stream()
                .collect(Collectors.toMap(f -> Path.of(f.source()).getFileName().toString(), f -> f));
        List<String> expected = new ArrayList<>(List.of("unreadable.txt", "invalid.txt", "empty.txt", "binary.txt"));
        if (fifo) {
            expected.add("pipe.txt");
        }
        assertThat(failures).containsOnlyKeys(expected);
        failures.forEach((name, f) -> {
            assertThat(f.source()).isEqualTo(dir.resolve(name).toString());
            assertThat(f.message()).contains(dir.resolve(name).toString());
            assertThat(f.kind()).isEqualTo(ErrorKind.VALIDATION);
        });
        assertThat(failures.get("unreadable.txt").message()).contains("broken symbolic link");
        assertThat(failures.get("invalid.txt").message()).contains("invalid UTF-8 at byte offset 3");
        assertThat(failures.get("empty.txt").message()).contains("no text to index");
        assertThat(failures.get("binary.txt").message()).contains("binary");
        if (fifo) {
            assertThat(failures.get("pipe.txt").message()).contains("not a regular file");
        }
        assertThat(events).filteredOn(IngestEvent.DocumentFailed.class::isInstance).hasSize(expected.size());

        // everything else is in the index, the 50 MB line included, cut into chunks of at most 2000 code points
        assertThat(store.documentIds()).containsExactlyInAnyOrder(dir.resolve("good-1.txt").toString(),
                dir.resolve("good-2.md").toString(), big.toString());
        long bigChunks = store.chunkIds(big.toString()).size();
        assertThat(bigChunks).isBetween(bigBytes / 2000, bigBytes / 2000 + 200);
        assertThat(summary.documentsIngested()).isEqualTo(3);
        assertThat(summary.documentsFailed()).isEqualTo(expected.size());
        assertThat(summary.chunksAdded()).isEqualTo(store.count());
    }

    /** A single line of varied words, no newline, of about {@code size} bytes. */
    private static long writeSingleLine(Path file, long size) throws Exception {
        String[] words = {"union", "liberty", "congress", "tariff", "railway", "canal", "treasury", "republic"};
        long written = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; written < size; i++) {
                String s = words[i % words.length] + (i % 997) + ' ';
                w.write(s);
                written += s.length();
            }
        }
        return written;
    }
}
