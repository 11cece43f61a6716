package dev.parallelrag.bench.embed;

import dev.parallelrag.onnx.tokenizer.BertTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** The benchmark texts, built from the repo's SOTU corpus with fixed seeds so every engine sees the same ones. */
final class BenchCorpus {

    private BenchCorpus() {
    }

    static List<String> speeches(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".txt")).sorted().map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** (a) real sentences sampled across all speeches. */
    static List<String> sentences(List<String> speeches, int count, long seed) {
        List<String> all = new ArrayList<>();
        for (String speech : speeches) {
            for (String s : speech.split("(?<=[.!?])\\s+")) {
                String t = s.strip();
                if (t.length() > 1) {
                    all.add(t);
                }
            }
        }
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(all.get(random.nextInt(all.size())));
        }
        return out;
    }

    /**
     * (b) chunks of consecutive words holding {@code tokens} WordPiece tokens (the last word may not fit, so
     * a chunk has between tokens-10 and tokens), cut from the speeches in order. BERT splits on whitespace
     * first, so a text's token count is the sum of its words' counts.
     */
    static List<String> chunks(List<String> speeches, int count, int tokens, BertTokenizer tokenizer) {
        List<String> out = new ArrayList<>(count);
        StringBuilder chunk = new StringBuilder();
        int n = 0;
        for (String speech : speeches) {
            for (String word : speech.split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                int w = tokenizer.encode(word).length;
                if (n + w > tokens && n > 0) {
                    out.add(chunk.toString());
                    if (out.size() == count) {
                        return out;
                    }
                    chunk.setLength(0);
                    n = 0;
                }
                if (!chunk.isEmpty()) {
                    chunk.append(' ');
                }
                chunk.append(word);
                n += w;
            }
        }
        throw new IllegalStateException("corpus too small for " + count + " chunks of " + tokens + " tokens");
    }
}
