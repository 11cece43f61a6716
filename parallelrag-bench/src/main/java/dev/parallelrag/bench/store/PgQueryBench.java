package dev.parallelrag.bench.store;

import dev.parallelrag.pgvector.PgVectorConfig;
import dev.parallelrag.pgvector.PgVectorStore;
import dev.parallelrag.store.MetadataFilter;
import dev.parallelrag.store.SearchHit;
import dev.parallelrag.store.StoredChunk;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Query latency and recall@10 of {@link PgVectorStore} on {@code ROWS} {@link SyntheticCorpus} chunks: HNSW search
 * at each {@code ef_search} against exact search, unfiltered and with a filter matching 1 % of rows
 * ({@code bucket = bNN}), with iterative scans as the store sets them (relaxed order) and, for contrast, off.
 *
 * <p>The truth is brute force in Java over the same vectors (cosine; the vectors are unit length), per query the
 * 10 nearest of all rows, or of the rows in the query's bucket. "exact" is PostgreSQL's own exact search: the same
 * ORDER BY with index scans off (a sequential scan, or the GIN bitmap scan of the filter), timed like the rest.
 * The table is loaded once (COPY through the store with the HNSW index built after the load, as
 * {@link PgWriteBench}'s {@code ours-deferred}) and reused while it holds {@code ROWS} rows. Configurations are
 * interleaved per query (their order rotated), after {@code WARMUP} untimed queries; latency is the wall time of
 * one {@code search} call from this JVM (its transaction, the {@code set_config} of {@code ef_search}, the query).
 *
 * <pre>
 * java -cp benchmarks.jar dev.parallelrag.bench.store.PgQueryBench JDBC_URL ROWS QUERIES EF_SEARCH[,EF_SEARCH...]
 * </pre>
 */
public final class PgQueryBench {

    private static final String TABLE = "bench_query_ours";
    private static final int K = 10;
    private static final int WARMUP = 20;
    private static final long QUERY_SEED = 7;

    private PgQueryBench() {
    }

    /** One way of answering a query, and what it gave. */
    private record Config(String name, boolean filtered, Searcher searcher, List<Double> millis, List<Double> recall,
                          List<Integer> returned) {
        Config(String name, boolean filtered, Searcher searcher) {
            this(name, filtered, searcher, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    @FunctionalInterface
    private interface Searcher {
        List<String> search(float[] vector, String bucket) throws SQLException;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: PgQueryBench JDBC_URL ROWS QUERIES EF_SEARCH[,EF_SEARCH...]");
            System.exit(2);
        }
        String url = args[0];
        int rows = Integer.parseInt(args[1]);
        int queries = Integer.parseInt(args[2]);
        List<Integer> efs = new ArrayList<>();
        for (String ef : args[3].split(",")) {
            efs.add(Integer.parseInt(ef));
        }
        SyntheticCorpus corpus = new SyntheticCorpus(PgWriteBench.DIMENSION, 42);
        List<StoredChunk> chunks = corpus.chunks(rows);
        PgVectorConfig base = PgVectorConfig.builder(url).table(TABLE).poolSize(2)
                .expect(SyntheticCorpus.MODEL, PgWriteBench.DIMENSION).build();
        ensureLoaded(url, base, chunks);

        float[][] vectors = corpus.queries(WARMUP + queries, QUERY_SEED);
        List<PgVectorStore> stores = new ArrayList<>();
        List<Config> configs = new ArrayList<>();
        try (Connection exact = DriverManager.getConnection(url)) {
            configs.add(new Config("exact", false, (v, b) -> exactSearch(exact, v, null)));
            configs.add(new Config("exact filtered 1%", true, (v, b) -> exactSearch(exact, v, b)));
            for (int ef : efs) {
                PgVectorStore relaxed = PgVectorStore.open(copy(url, base).efSearch(ef).build());
                PgVectorStore off = PgVectorStore.open(copy(url, base).efSearch(ef)
                        .iterativeScan(PgVectorConfig.IterativeScan.OFF).build());
                stores.add(relaxed);
                stores.add(off);
                configs.add(new Config("hnsw ef_search=" + ef, false, (v, b) -> ids(relaxed.search(v, K, null))));
                configs.add(new Config("hnsw ef_search=" + ef + " filtered 1%", true,
                        (v, b) -> ids(relaxed.search(v, K, MetadataFilter.eq("bucket", b)))));
                configs.add(new Config("hnsw ef_search=" + ef + " filtered 1% iterative off", true,
                        (v, b) -> ids(off.search(v, K, MetadataFilter.eq("bucket", b)))));
            }
            for (int ef : efs) {
                System.out.println("# plan of the filtered query at ef_search=" + ef + ": "
                        + filteredPlan(exact, vectors[0], ef));
            }
            System.out.printf(Locale.ROOT, "# %d rows x %d, %d queries (+%d warm-up), k=%d, load average %s%n", rows,
                    PgWriteBench.DIMENSION, queries, WARMUP, K, Bench.loadAverage());
            for (int q = 0; q < vectors.length; q++) {
                String bucket = SyntheticCorpus.bucket(q);
                Set<String> truth = truth(chunks, vectors[q], null);
                Set<String> truthFiltered = truth(chunks, vectors[q], bucket);
                for (int c = 0; c < configs.size(); c++) {
                    Config config = configs.get((c + q) % configs.size());
                    long t0 = System.nanoTime();
                    List<String> got = config.searcher().search(vectors[q], bucket);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (q >= WARMUP) {
                        Set<String> expected = config.filtered() ? truthFiltered : truth;
                        long hits = got.stream().filter(expected::contains).count();
                        config.millis().add(ms);
                        config.recall().add((double) hits / K);
                        config.returned().add(got.size());
                    }
                }
            }
        } finally {
            stores.forEach(PgVectorStore::close);
        }
        for (Config c : configs) {
            double[] ms = Bench.sorted(c.millis().stream().mapToDouble(Double::doubleValue).toArray());
            double recall = c.recall().stream().mapToDouble(Double::doubleValue).average().orElse(0);
            long full = c.returned().stream().filter(n -> n == K).count();
            int fewest = c.returned().stream().mapToInt(Integer::intValue).min().orElse(0);
            System.out.printf(Locale.ROOT, "QUERY %-44s p50 %7.2f ms  p99 %7.2f ms  recall@10 %.3f  k of k %d/%d"
                    + " (fewest %d)%n", c.name(), Bench.percentile(ms, 0.5), Bench.percentile(ms, 0.99), recall, full,
                    c.returned().size(), fewest);
        }
        System.out.println("# load average at the end: " + Bench.loadAverage());
    }

    private static PgVectorConfig.Builder copy(String url, PgVectorConfig base) {
        return PgVectorConfig.builder(url).table(base.table()).poolSize(base.poolSize())
                .expect(base.expectedModel(), base.expectedDimension());
    }

    private static void ensureLoaded(String url, PgVectorConfig config, List<StoredChunk> chunks) throws SQLException {
        try (PgVectorStore store = PgVectorStore.open(config)) {
            if (store.count() == chunks.size() && hasHnsw(url)) {
                System.out.println("# reusing " + TABLE + " (" + chunks.size() + " rows, HNSW index present)");
                return;
            }
        }
        PgWriteBench.dropTables(url, TABLE, TABLE + "_info", TABLE + "_meta");
        long t0 = System.nanoTime();
        try (PgVectorStore store = PgVectorStore.open(config)) {
            PgWriteBench.execute(url, "drop index " + TABLE + "_embedding_idx");
            for (int i = 0; i < chunks.size(); i += 1000) {
                store.upsert(chunks.subList(i, Math.min(chunks.size(), i + 1000)));
            }
            long t1 = System.nanoTime();
            PgWriteBench.buildHnsw(url, TABLE, config);
            PgWriteBench.execute(url, "analyze " + TABLE);
            System.out.printf(Locale.ROOT, "# loaded %d rows in %.1f s, HNSW built in %.1f s%n", chunks.size(),
                    (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        }
    }

    private static boolean hasHnsw(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement p = c.prepareStatement(
                "select 1 from pg_indexes where tablename = ? and indexdef like '%USING hnsw%'")) {
            p.setString(1, TABLE);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    /** PostgreSQL's exact nearest neighbours: the store's ORDER BY with index scans off for the transaction. */
    private static List<String> exactSearch(Connection c, float[] vector, String bucket) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("set local enable_indexscan = off");
            }
            String where = bucket == null ? "" : " where metadata @> ?::jsonb";
            try (PreparedStatement p = c.prepareStatement("select id from " + TABLE + where
                    + " order by embedding <=> ?::vector limit " + K)) {
                int i = 1;
                if (bucket != null) {
                    p.setString(i++, "{\"bucket\": \"" + bucket + "\"}");
                }
                p.setString(i, literal(vector));
                List<String> ids = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
                return ids;
            }
        } finally {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /**
     * Which path PostgreSQL takes for the store's filtered query (its SQL shape, {@code SqlFilter}'s containment)
     * at {@code ef}: the HNSW index with iterative scan, or the GIN bitmap scan of the filter and a sort (exact).
     */
    private static String filteredPlan(Connection c, float[] vector, int ef) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("set local hnsw.ef_search = " + ef);
                s.execute("set local hnsw.iterative_scan = relaxed_order");
            }
            try (PreparedStatement p = c.prepareStatement("explain select id from " + TABLE
                    + " where metadata @> ?::jsonb order by embedding <=> ?::vector limit " + K)) {
                p.setString(1, "{\"bucket\": \"b00\"}");
                p.setString(2, literal(vector));
                List<String> lines = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        // the plan's nodes, not the 384 numbers of the query vector
                        lines.add(r.getString(1).trim().replaceAll("'\\[[^']*\\]'", "'[query]'"));
                    }
                }
                return String.join(" | ", lines);
            }
        } finally {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** The ids of the K chunks nearest to {@code query} by cosine, among those of {@code bucket} when given. */
    static Set<String> truth(List<StoredChunk> chunks, float[] query, String bucket) {
        int[] top = new int[K];
        double[] score = new double[K];
        int n = 0;
        for (int i = 0; i < chunks.size(); i++) {
            if (bucket != null && !SyntheticCorpus.bucket(i).equals(bucket)) {
                continue;
            }
            double s = dot(query, chunks.get(i).vector());
            if (n < K || s > score[n - 1]) {
                int j = Math.min(n, K - 1);
                while (j > 0 && score[j - 1] < s) {
                    score[j] = score[j - 1];
                    top[j] = top[j - 1];
                    j--;
                }
                score[j] = s;
                top[j] = i;
                n = Math.min(K, n + 1);
            }
        }
        Set<String> ids = new HashSet<>();
        for (int j = 0; j < n; j++) {
            ids.add(chunks.get(top[j]).id());
        }
        return ids;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::chunkId).toList();
    }

    private static String literal(float[] vector) {
        StringBuilder s = new StringBuilder(vector.length * 12).append('[');
        for (int i = 0; i < vector.length; i++) {
            s.append(i == 0 ? "" : ",").append(vector[i]);
        }
        return s.append(']').toString();
    }
}
