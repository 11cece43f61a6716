package dev.parallelrag.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.pipeline.ResultJson;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.SearchMode;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parallelrag search "query"}: the best chunks, without an answer. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Find the chunks most relevant to a query (hybrid: vector + BM25 fused by reciprocal rank).")
final class SearchCommand extends IndexCommand {

    enum Mode { hybrid, vector, keyword }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "QUERY")
    String query;

    @Mixin
    IndexOptions index;

    @Mixin
    StoreOptions store;

    @Option(names = "--k", paramLabel = "N", defaultValue = "5", description = "Number of hits (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hybrid", description = "hybrid|vector|keyword (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Mixin
    FilterOptions filter;

    @Option(names = "--json", description = "Print one JSON array: rank, score, source, chunk_id, start, end (code points), text.")
    boolean json;


    @Override
    int run() throws Exception {
        List<SearchHit> hits;
        try (ParallelRag rag = ParallelRag.builder(store.location(index.index)).k(k).mode(SearchMode.valueOf(mode.name().toUpperCase())).build()) {
            hits = rag.search(rag.query(query).filter(filter.filter()).build());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(ResultJson.hits(hits)));
        } else {
            int rank = 1;
            for (SearchHit h : hits) {
                out.printf("%d. %s, lines %s-%s (score %.4f)%n", rank++, h.source(), h.metadata().get("line_start"),
                        h.metadata().get("line_end"), h.score());
                out.println("   " + oneLine(abbreviate(h.text(), 300)));
            }
            if (hits.isEmpty()) {
                out.println("no hits");
            }
        }
        out.flush();
        return 0;
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
