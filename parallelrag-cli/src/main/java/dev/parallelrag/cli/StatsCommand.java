package dev.parallelrag.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.lucene.LuceneVectorStore;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.store.StoreStats;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parallelrag stats}: what the index holds and how the last ingest went. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show the index size, documents, chunks, the model, and the summary of the last ingest.")
final class StatsCommand extends IndexCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    IndexOptions index;

    @Option(names = "--json", description = "Print the statistics as JSON.")
    boolean json;


    @Override
    int run() throws Exception {
        StoreStats stats;
        try (LuceneVectorStore store = index.openForReading()) {
            stats = store.stats();
        }
        Map<String, String> meta = stats.indexMetadata();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", stats.location());
            m.put("size_bytes", stats.sizeOnDisk());
            m.put("documents", stats.documents());
            m.put("chunks", stats.chunks());
            m.put("dimension", stats.dimension());
            m.put("models", stats.modelIds());
            m.put("embedder", meta.get(EmbedderOptions.EMBEDDER_KEY));
            m.put("splitter", meta.get(IngestPipeline.SPLITTER_KEY));
            String last = meta.get(IngestPipeline.LAST_INGEST_KEY);
            m.put("last_ingest", last == null ? null : JSON.readTree(last));
            out.println(JSON.writeValueAsString(m));
        } else {
            out.printf("index:     %s%n", stats.location());
            out.printf("size:      %.1f MB%n", stats.sizeOnDisk() / 1e6);
            out.printf("documents: %d%n", stats.documents());
            out.printf("chunks:    %d%n", stats.chunks());
            out.printf("model:     %s (dimension %d)%n", meta.getOrDefault(IngestPipeline.MODEL_KEY, "-"), stats.dimension());
            out.printf("splitter:  %s%n", meta.getOrDefault(IngestPipeline.SPLITTER_KEY, "-"));
            String last = meta.get(IngestPipeline.LAST_INGEST_KEY);
            out.printf("last ingest: %s%n", last == null ? "-" : last);
        }
        out.flush();
        return 0;
    }
}
