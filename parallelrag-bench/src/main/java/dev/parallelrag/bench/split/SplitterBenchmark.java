package dev.parallelrag.bench.split;

import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.BatchSplitter;
import dev.parallelrag.split.Splitters;
import dev.parallelrag.split.TextSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The original system's splitter workload (issue 2): 200 documents of 20 paragraphs, each paragraph one sentence
 * block repeated 20 times, about 20.2 MB in all. One invocation splits the whole workload; the score is the time
 * it takes. Every ParallelRAG splitter runs sequentially and through {@link BatchSplitter#splitAll} on the
 * core-sized pool; LangChain4j's {@code DocumentSplitters.recursive(500, 50)} runs on the same input in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class SplitterBenchmark {

    @Param({"character", "separator", "recursive", "token", "sentence"})
    public String splitter;

    private List<Document> documents;
    private List<dev.langchain4j.data.document.Document> lc4jDocuments;
    private TextSplitter textSplitter;
    private ParallelRuntime runtime;
    private BatchSplitter batch;

    /** Builds the workload exactly as issue 2 defines it. */
    static List<Document> workload() {
        List<Document> docs = new ArrayList<>(200);
        for (int i = 0; i < 200; i++) {
            List<String> paragraphs = new ArrayList<>(20);
            for (int p = 0; p < 20; p++) {
                String sentence = "This is document " + i + ", paragraph " + p + ". It contains information about topic "
                        + (i % 10) + ". The content discusses various aspects of the subject matter. This paragraph "
                        + "provides context and details for analysis. Additional sentences ensure sufficient length for chunking. ";
                paragraphs.add(sentence.repeat(20));
            }
            docs.add(new Document("doc-" + i, String.join("\n\n", paragraphs)));
        }
        return docs;
    }

    @Setup(Level.Trial)
    public void setUp() {
        documents = workload();
        lc4jDocuments = documents.stream().map(d -> dev.langchain4j.data.document.Document.from(d.text())).toList();
        textSplitter = switch (splitter) {
            case "character" -> Splitters.character(500, 50);
            case "separator" -> Splitters.separator("\n\n", 500, 50);
            case "recursive" -> Splitters.recursive(500, 50);
            case "token" -> Splitters.token(200, 20);
            case "sentence" -> Splitters.sentence(500, 50);
            default -> throw new IllegalArgumentException(splitter);
        };
        runtime = ParallelRuntime.create();
        batch = new BatchSplitter(textSplitter, runtime);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        runtime.close();
    }

    /** Prints the workload size and each splitter's chunk count, to turn the JMH times into MB/s and chunks/s. */
    public static void main(String[] args) {
        List<Document> docs = workload();
        long chars = docs.stream().mapToLong(d -> d.text().length()).sum();
        System.out.printf("workload: %d documents, %d chars (%.1f MB)%n", docs.size(), chars, chars / 1e6);
        for (String name : List.of("character", "separator", "recursive", "token", "sentence")) {
            SplitterBenchmark b = new SplitterBenchmark();
            b.splitter = name;
            b.setUp();
            System.out.printf("%s: %d chunks%n", name, b.sequential());
            if (name.equals("recursive")) {
                System.out.printf("langchain4j recursive: %d chunks%n", b.langchain4jRecursive());
            }
            b.tearDown();
        }
    }

    @Benchmark
    public int sequential() {
        int chunks = 0;
        for (Document d : documents) {
            List<Chunk> split = textSplitter.split(d);
            chunks += split.size();
        }
        return chunks;
    }

    @Benchmark
    public int parallel() {
        return batch.splitAll(documents).size();
    }

    /** The peer: LangChain4j's recursive splitter at (500, 50) on the same text. Run once per trial (param-independent). */
    @Benchmark
    public int langchain4jRecursive() {
        if (!splitter.equals("recursive")) {
            return 0;
        }
        DocumentSplitter lc4j = DocumentSplitters.recursive(500, 50);
        int chunks = 0;
        for (dev.langchain4j.data.document.Document d : lc4jDocuments) {
            chunks += lc4j.split(d).size();
        }
        return chunks;
    }
}
