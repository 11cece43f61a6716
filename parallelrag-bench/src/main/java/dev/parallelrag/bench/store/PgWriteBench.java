package dev.parallelrag.bench.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;
import dev.parallelrag.pgvector.PgVectorConfig;
import dev.parallelrag.pgvector.PgVectorStore;
import dev.parallelrag.store.StoredChunk;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bulk write, rows/s: {@link PgVectorStore#upsert} against LangChain4j's {@code PgVectorEmbeddingStore.addAll}, on
 * the same PostgreSQL, the same {@link SyntheticCorpus} rows (ids, 384-d vectors, texts, metadata) and the same
 * batch size, one writer thread each, both through a HikariCP pool of the same size. Each side loads into a fresh
 * table (dropped and created untimed); the clock runs from the first batch to the return of the last. Sides:
 * <ul>
 *   <li>{@code langchain4j}: its defaults ({@code useIndex} false: no vector index; json metadata; vector search
 *       mode: no text index), upserting with one JDBC batch of {@code INSERT ... ON CONFLICT} per call.</li>
 *   <li>{@code langchain4j-hybrid}: the same with {@code searchMode(HYBRID)}, which adds its GIN full-text index:
 *       the nearest it comes to our table.</li>
 *   <li>{@code ours}: the store as it opens, with its HNSW index (m 16, ef_construction 64), both GIN indexes and
 *       the generated {@code tsvector} present during the load.</li>
 *   <li>{@code ours-deferred}: the same store with {@code PgVectorConfig.deferHnswBuild}: no HNSW index during the
 *       load, built by {@code close()} (the server's {@code maintenance_work_mem}); rows/s of the load alone and of
 *       the load plus the build are both printed.</li>
 * </ul>
 * The sides run in interleaved rounds, their order rotated every round; every round is printed with the load
 * average, then the median and range of each side and the median of the per-round ratios to LangChain4j.
 *
 * <pre>
 * java -cp benchmarks.jar dev.parallelrag.bench.store.PgWriteBench JDBC_URL ROWS BATCH ROUNDS [SIDES]
 * </pre>
 */
public final class PgWriteBench {

    static final int DIMENSION = 384;
    private static final String OURS_TABLE = "bench_write_ours";
    private static final String LC4J_TABLE = "bench_write_lc4j";
    private static final int POOL = 4;

    private PgWriteBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: PgWriteBench JDBC_URL ROWS BATCH ROUNDS [SIDE,SIDE,...]"
                    + "   (sides: langchain4j, langchain4j-hybrid, ours, ours-deferred)");
            System.exit(2);
        }
        String url = args[0];
        int rows = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        List<String> sides = List.of((args.length > 4 ? args[4] : "langchain4j,ours-deferred,ours").split(","));

        List<StoredChunk> chunks = new SyntheticCorpus(DIMENSION, 42).chunks(rows);
        PeerRows peer = PeerRows.of(chunks);
        System.out.printf(Locale.ROOT, "# %d rows x %d dimensions, batch %d, %d rounds, sides %s%n", rows, DIMENSION,
                batch, rounds, sides);
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            Map<String, Double> thisRound = new HashMap<>();
            for (int s = 0; s < sides.size(); s++) {
                String side = sides.get((s + round - 1) % sides.size());
                String load = Bench.loadAverage();
                Load result = switch (side) {
                    case "langchain4j" -> langchain4j(url, peer, batch, false);
                    case "langchain4j-hybrid" -> langchain4j(url, peer, batch, true);
                    case "ours" -> ours(url, chunks, batch, false);
                    case "ours-deferred" -> ours(url, chunks, batch, true);
                    default -> throw new IllegalArgumentException("unknown side " + side);
                };
                double rate = rows / result.loadSeconds();
                rates.computeIfAbsent(side, k -> new ArrayList<>()).add(rate);
                thisRound.put(side, rate);
                System.out.printf(Locale.ROOT, "ROUND %d %-18s load %7.2f s  %8.0f rows/s", round, side,
                        result.loadSeconds(), rate);
                if (result.indexSeconds() > 0) {
                    double total = rows / (result.loadSeconds() + result.indexSeconds());
                    rates.computeIfAbsent(side + "+index", k -> new ArrayList<>()).add(total);
                    thisRound.put(side + "+index", total);
                    System.out.printf(Locale.ROOT, "  + HNSW build %7.2f s = %8.0f rows/s", result.indexSeconds(),
                            total);
                }
                System.out.printf(Locale.ROOT, "  (load average before: %s)%n", load);
            }
            Double base = thisRound.get("langchain4j");
            if (base != null) {
                for (Map.Entry<String, Double> e : thisRound.entrySet()) {
                    if (!e.getKey().equals("langchain4j")) {
                        ratios.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue() / base);
                    }
                }
            }
        }
        System.out.println("# rows/s: median [min, max] over " + rounds + " rounds");
        rates.forEach((side, values) -> System.out.printf(Locale.ROOT, "SUMMARY %-24s %s%n", side,
                Bench.spread(values, "%.0f")));
        ratios.forEach((side, values) -> System.out.printf(Locale.ROOT, "RATIO %-24s / langchain4j %s%n", side,
                Bench.spread(values, "%.2f")));
        System.out.println("# load average at the end: " + Bench.loadAverage());
    }

    /** Seconds of the timed load, and of the HNSW build after it (0 when the index existed during the load). */
    record Load(double loadSeconds, double indexSeconds) {
    }

    /** The same rows as LangChain4j takes them: ids, embeddings and segments with the same metadata. */
    record PeerRows(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
        static PeerRows of(List<StoredChunk> chunks) {
            List<String> ids = new ArrayList<>(chunks.size());
            List<Embedding> embeddings = new ArrayList<>(chunks.size());
            List<TextSegment> segments = new ArrayList<>(chunks.size());
            for (StoredChunk c : chunks) {
                ids.add(c.id());
                embeddings.add(Embedding.from(c.vector()));
                Map<String, Object> metadata = new HashMap<>(c.metadata());
                metadata.put("document_id", c.documentId());
                metadata.put("source", c.source());
                metadata.put("start_offset", c.start());
                metadata.put("end_offset", c.end());
                metadata.put("content_hash", c.contentHash());
                metadata.put("model_id", c.modelId());
                segments.add(TextSegment.from(c.text(), Metadata.from(metadata)));
            }
            return new PeerRows(ids, embeddings, segments);
        }
    }

    static Load ours(String url, List<StoredChunk> chunks, int batch, boolean deferIndex) throws SQLException {
        dropTables(url, OURS_TABLE, OURS_TABLE + "_info", OURS_TABLE + "_meta");
        PgVectorConfig config = PgVectorConfig.builder(url).table(OURS_TABLE).poolSize(POOL)
                .expect(SyntheticCorpus.MODEL, DIMENSION).deferHnswBuild(deferIndex).build();
        PgVectorStore store = PgVectorStore.open(config);
        long t0 = System.nanoTime();
        for (int i = 0; i < chunks.size(); i += batch) {
            store.upsert(chunks.subList(i, Math.min(chunks.size(), i + batch)));
        }
        double load = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        store.close(); // with deferHnswBuild, builds the index
        double index = deferIndex ? (System.nanoTime() - t1) / 1e9 : 0;
        requireCount(url, OURS_TABLE, chunks.size());
        return new Load(load, index);
    }

    /** The index {@code PgVectorStore} creates with its table, built once over the loaded rows. */
    static void buildHnsw(String url, String table, PgVectorConfig config) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("set maintenance_work_mem = '1GB'");
            s.execute("create index " + table + "_embedding_idx on " + table + " using hnsw (embedding"
                    + " vector_cosine_ops) with (m = " + config.hnswM() + ", ef_construction = "
                    + config.hnswEfConstruction() + ")");
        }
    }

    static Load langchain4j(String url, PeerRows rows, int batch, boolean hybrid) throws SQLException {
        dropTables(url, LC4J_TABLE);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setMaximumPoolSize(POOL);
        try (HikariDataSource dataSource = new HikariDataSource(pool)) {
            PgVectorEmbeddingStore store = PgVectorEmbeddingStore.datasourceBuilder().datasource(dataSource)
                    .table(LC4J_TABLE).dimension(DIMENSION).createTable(true)
                    .searchMode(hybrid ? PgVectorEmbeddingStore.SearchMode.HYBRID
                            : PgVectorEmbeddingStore.SearchMode.VECTOR)
                    .build();
            int n = rows.ids().size();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i += batch) {
                int end = Math.min(n, i + batch);
                store.addAll(rows.ids().subList(i, end), rows.embeddings().subList(i, end),
                        rows.segments().subList(i, end));
            }
            double load = (System.nanoTime() - t0) / 1e9;
            requireCount(url, LC4J_TABLE, n);
            return new Load(load, 0);
        }
    }

    static void dropTables(String url, String... tables) throws SQLException {
        execute(url, "drop table if exists " + String.join(", ", tables));
    }

    static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void requireCount(String url, String table, int expected) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from " + table)) {
            r.next();
            if (r.getLong(1) != expected) {
                throw new IllegalStateException(table + " holds " + r.getLong(1) + " rows, expected " + expected);
            }
        }
    }
}
