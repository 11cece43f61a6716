package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must show 2 of issue 13: {@code ingest}, {@code ask}, {@code search}, {@code stats} and {@code serve} with
 * {@code --store pgvector} on the sample folder, against the real PostgreSQL of {@code PARALLELRAG_PG_URL}
 * (skipped without it, failed without it when {@code PARALLELRAG_PG_REQUIRED=true}), with the outputs Lucene gives;
 * and one test per error: no URL, an unknown kind, an unreachable server, a refused password, no pgvector.
 */
class PgVectorCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The role scripts/pg-cluster.sh makes log in with its password (its name); every other role is trusted. */
    private static final String PASSWORD_ROLE = "parallelrag_password";

    @TempDir
    static Path work;

    private static String url;
    private static String table;
    private static JsonNode pgIngest;
    private static JsonNode luceneIngest;

    @BeforeAll
    static void ingestTheSampleIntoPgvectorAndLucene() throws Exception {
        url = System.getenv("PARALLELRAG_PG_URL");
        if (url == null || url.isBlank()) {
            String message = "PARALLELRAG_PG_URL is not set: `export $(scripts/pg-cluster.sh start)` to run the pgvector CLI tests";
            if (Boolean.parseBoolean(System.getenv("PARALLELRAG_PG_REQUIRED"))) {
                fail(message + " (PARALLELRAG_PG_REQUIRED is set, so they may not be skipped)");
            }
            Assumptions.abort(message);
        }
        table = "cli_" + ProcessHandle.current().pid();
        dropTable(table);
        Path sample = Files.createDirectories(work.resolve("sample"));
        try (Stream<Path> files = Files.list(Path.of("../examples/sample"))) {
            for (Path f : files.toList()) {
                Files.copy(f, sample.resolve(f.getFileName()));
            }
        }
        pgIngest = JSON.readTree(ok(pg("ingest", sample.toString(), "--json", "--quiet")));
        luceneIngest = JSON.readTree(ok(lucene("ingest", sample.toString(), "--json", "--quiet")));
    }

    @AfterAll
    static void drop() throws SQLException {
        if (table != null) {
            dropTable(table);
        }
    }

    @Test
    void ingestThenReingestAddsNoChunks() throws Exception {
        assertThat(pgIngest.get("documents_ingested").asInt()).isEqualTo(5);
        assertThat(pgIngest.get("chunks_added").asLong()).isPositive()
                .isEqualTo(luceneIngest.get("chunks_added").asLong());

        JsonNode again = JSON.readTree(ok(pg("ingest", work.resolve("sample").toString(), "--json", "--quiet")));

        assertThat(again.get("chunks_added").asLong()).isZero();
        assertThat(again.get("documents_unchanged").asInt()).isEqualTo(5);
        assertThat(again.get("chunks_skipped").asLong()).isEqualTo(pgIngest.get("chunks_added").asLong());
    }

    @Test
    void statsShowWhatLuceneShowsFromTheRecordInTheDatabase() throws Exception {
        JsonNode pg = JSON.readTree(ok(pg("stats", "--json")));
        JsonNode lucene = JSON.readTree(ok(lucene("stats", "--json")));

        for (String field : List.of("documents", "chunks", "dimension", "embedder", "model", "splitter")) {
            assertThat(pg.get(field)).as(field).isEqualTo(lucene.get(field));
        }
        assertThat(pg.get("model").asText()).isEqualTo("local/bge-small-en-v1.5-q");
        assertThat(pg.get("dimension").asInt()).isEqualTo(384);
        assertThat(pg.get("manifest").get("store.kind").asText()).isEqualTo("pgvector");
        assertThat(pg.get("index").asText()).contains("table " + table).doesNotContain("user=");
        assertThat(pg.get("last_ingest").get("documents_ingested").isInt()).isTrue();
    }

    @Test
    void vectorSearchFindsTheChunksLuceneFindsAndHybridAndKeywordSearchAnswer() throws Exception {
        List<String> pgIds = chunkIds(ok(pg("search", "the slave trade", "--mode", "vector", "--k", "5", "--json")));
        List<String> luceneIds = chunkIds(ok(lucene("search", "the slave trade", "--mode", "vector", "--k", "5", "--json")));
        assertThat(pgIds).hasSize(5).isEqualTo(luceneIds);

        JsonNode hybrid = JSON.readTree(ok(pg("search", "the slave trade", "--k", "3", "--json")));
        assertThat(hybrid).hasSize(3);
        assertThat(hybrid.get(0).get("source").asText()).endsWith("1861_abraham_lincoln_r.txt");
        for (String field : List.of("rank", "score", "source", "chunk_id", "start", "end", "text")) {
            assertThat(hybrid.get(0).has(field)).as(field).isTrue();
        }
        JsonNode keyword = JSON.readTree(ok(pg("search", "slave trade", "--mode", "keyword", "--k", "3", "--json")));
        assertThat(keyword.get(0).get("text").asText().toLowerCase()).contains("slave");
        assertThat(ok(pg("search", "Berlin", "--k", "1"))).startsWith("1. ").contains("1962_john_f_kennedy_d.txt");
    }

    @Test
    void askAnswersFromThePgvectorIndex() {
        String answer = ok(pg("ask", "What did Kennedy say about Berlin?"));

        assertThat(answer).contains("extractive answer, no LLM configured").contains("Berlin").contains("[1]")
                .contains("Sources:").contains("1962_john_f_kennedy_d.txt");
    }

    @Test
    void serveAnswersV1SearchFromPgvector() throws Exception {
        List<String> expected = chunkIds(ok(pg("search", "the slave trade", "--mode", "vector", "--k", "3", "--json")));
        Path outFile = work.resolve("serve.out");
        Path errFile = work.resolve("serve.err");
        // the URL from the environment this time, as a service would be given it
        Process serve = CliProcess.builder(work, Map.of("PARALLELRAG_PG_URL", url), List.of(), "serve", "--store",
                        "pgvector", "--pg-table", table, "--port", "0").redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        try {
            int port = ServeCommandTest.awaitPort(serve, outFile, errFile);
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/search")).timeout(Duration.ofSeconds(90))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"the slave trade\", \"k\": 3,"
                                    + " \"mode\": \"vector\"}")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(chunkIds(JSON.readTree(response.body()).get("hits").toString())).isEqualTo(expected);
        } finally {
            serve.destroy();
            serve.waitFor(60, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
        assertThat(Files.readString(outFile)).contains("serving pgvector jdbc:postgresql://", "table " + table)
                .doesNotContain("user=");
    }

    @Test
    void pgvectorWithoutAUrlIsAUsageErrorNamingTheOptionAndTheVariable() throws Exception {
        CliProcess run = CliProcess.run(work, Map.of("PARALLELRAG_PG_URL", ""), "stats", "--store", "pgvector");

        assertThat(run.exitCode()).isEqualTo(CliErrors.USAGE);
        assertThat(run.err()).startsWith("parallelrag stats: --pg-url").contains("PARALLELRAG_PG_URL")
                .contains("jdbc:postgresql://");
    }

    @Test
    void anUnknownStoreIsAUsageErrorNamingTheOptionAndTheKinds() {
        Result run = run("search", "x", "--store", "pgvektor");

        assertThat(run.exit()).isEqualTo(CliErrors.USAGE);
        assertThat(run.err()).startsWith("parallelrag search: --store = \"pgvektor\"").contains("lucene, pgvector");
    }

    @Test
    void pgOptionsWithoutThePgvectorStoreAreAUsageError() {
        Result run = run("stats", "--index", work.resolve("lucene").toString(), "--pg-table", "other");

        assertThat(run.exit()).isEqualTo(CliErrors.USAGE);
        assertThat(run.err()).contains("--pg-table").contains("--store pgvector");
    }

    @Test
    void anUnreachableServerIsAFailureThatNamesItButNotThePassword() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        Result run = run("stats", "--store", "pgvector", "--pg-url",
                "jdbc:postgresql://127.0.0.1:" + port + "/rag?user=rag&password=unreachable-secret");

        assertThat(run.exit()).isEqualTo(CliErrors.FAILURE);
        assertThat(run.err()).contains("127.0.0.1:" + port).contains("check that PostgreSQL is running")
                .contains("refused").doesNotContain("unreachable-secret");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() {
        Result run = run("stats", "--store", "pgvector", "--pg-url", withUser(PASSWORD_ROLE) + "&password=wrong-secret-1");

        assertThat(run.exit()).isEqualTo(CliErrors.FAILURE);
        assertThat(run.err()).contains("password authentication failed").contains("check the user and password")
                .doesNotContain("wrong-secret-1");
    }

    @Test
    void aDatabaseWithoutPgvectorIsAFailureThatSaysHowToInstallIt() throws SQLException {
        String database = "cli_noext_" + ProcessHandle.current().pid();
        String superuser = withUser("postgres");
        execute(superuser, "drop database if exists " + database);
        execute(superuser, "create database " + database + " owner parallelrag");
        try {
            String noExtension = url.replaceFirst("/[^/?]+\\?", "/" + database + "?");
            Result run = run("stats", "--store", "pgvector", "--pg-url", noExtension);

            assertThat(run.exit()).isEqualTo(CliErrors.FAILURE);
            assertThat(run.err()).contains("no pgvector extension").contains("CREATE EXTENSION vector");
        } finally {
            execute(superuser, "drop database if exists " + database + " with (force)");
        }
    }

    // ---- helpers

    record Result(int exit, String out, String err) {
    }

    /** Runs the command in this JVM with the embedding cache of the test. */
    private static Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (args[0].equals("ingest")) {
            all.addAll(List.of("--embedding-cache", work.resolve("cache").toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = ParallelRagCommand.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    private static Result pg(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--store", "pgvector", "--pg-url", url, "--pg-table", table));
        return run(all.toArray(String[]::new));
    }

    private static Result lucene(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--index", work.resolve("lucene").toString()));
        return run(all.toArray(String[]::new));
    }

    private static String ok(Result run) {
        assertThat(run.exit()).as(run.err()).isZero();
        return run.out();
    }

    private static List<String> chunkIds(String hitsJson) throws IOException {
        List<String> ids = new ArrayList<>();
        JSON.readTree(hitsJson).forEach(h -> ids.add(h.get("chunk_id").asText()));
        return ids;
    }

    /** The test URL with another user (its {@code user=} replaced). */
    private static String withUser(String user) {
        return url.replaceFirst("user=[^&]*", "user=" + user);
    }

    private static void execute(String jdbcUrl, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void dropTable(String name) throws SQLException {
        execute(url, "drop table if exists " + name + ", " + name + "_info, " + name + "_meta");
    }
}
