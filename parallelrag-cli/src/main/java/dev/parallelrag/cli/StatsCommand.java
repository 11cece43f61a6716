package dev.parallelrag.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.index.IndexManifest;
import dev.parallelrag.store.StoreStats;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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

    @Mixin
    StoreOptions store;

    @Option(names = "--json", description = "Print the statistics as JSON.")
    boolean json;


    @Override
    int run() throws Exception {
        StoreStats stats;
        Optional<IndexManifest> manifest;
        try (ParallelRag rag = ParallelRag.builder(store.location(index.index)).build()) {
            stats = rag.stats();
            manifest = rag.manifest();
        }
        Map<String, String> meta = stats.indexMetadata();
        String model = manifest.map(m -> m.embedder().modelId()).orElse(null);
        String splitter = manifest.map(IndexManifest::splitterFingerprint).orElse(null);
        String last = meta.get(IndexManifest.LAST_INGEST);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", stats.location());
            m.put("size_bytes", stats.sizeOnDisk());
            m.put("documents", stats.documents());
            m.put("chunks", stats.chunks());
            m.put("dimension", stats.dimension());
            m.put("models", stats.modelIds());
            m.put("embedder", manifest.map(x -> x.embedder().kind()).orElse(null));
            m.put("model", model);
            m.put("splitter", splitter);
            m.put("manifest", manifestJson(meta));
            m.put("last_ingest", last == null ? null : JSON.readTree(last));
            out.println(JSON.writeValueAsString(m));
        } else {
            out.printf("index:     %s%n", stats.location());
            out.printf("size:      %.1f MB%n", stats.sizeOnDisk() / 1e6);
            out.printf("documents: %d%n", stats.documents());
            out.printf("chunks:    %d%n", stats.chunks());
            out.printf("model:     %s (dimension %d)%n", model == null ? "-" : model, stats.dimension());
            out.printf("splitter:  %s%n", splitter == null ? "-" : splitter);
            out.printf("last ingest: %s%n", last == null ? "-" : last);
        }
        out.flush();
        return 0;
    }

    /** The manifest keys as recorded: embedder.*, splitter.*, store.*, manifest.version. */
    private static Map<String, String> manifestJson(Map<String, String> meta) {
        Map<String, String> m = new TreeMap<>(meta);
        m.remove(IndexManifest.LAST_INGEST);
        return m;
    }
}
