package dev.parallelrag.pgvector;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the tests run against: {@code PARALLELRAG_PG_URL} (scripts/pg-cluster.sh starts one and prints it).
 * Without it the tests are skipped, so a build without PostgreSQL stays green; with {@code PARALLELRAG_PG_REQUIRED=true}
 * (as CI sets) a missing URL fails them instead. Shared with parallelrag-spark's tests through this module's test-jar.
 */
public final class TestDatabase {

    private static final AtomicInteger TABLES = new AtomicInteger();

    private TestDatabase() {
    }

    public static String url() {
        String url = System.getenv("PARALLELRAG_PG_URL");
        if (url == null || url.isBlank()) {
            String message = "PARALLELRAG_PG_URL is not set: start a private PostgreSQL with pgvector with"
                    + " `export $(scripts/pg-cluster.sh start)` to run the tests that need PostgreSQL";
            if (Boolean.parseBoolean(System.getenv("PARALLELRAG_PG_REQUIRED"))) {
                fail(message + " (PARALLELRAG_PG_REQUIRED is set, so they may not be skipped)");
            }
            Assumptions.abort(message);
        }
        return url;
    }

    /** A table name no other test (nor an earlier run) uses; its tables are dropped first. */
    public static String freshTable(String prefix) {
        String table = prefix + "_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
        drop(table);
        return table;
    }

    public static void drop(String table) {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute("drop table if exists " + table + ", " + table + "_info, " + table + "_meta");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop " + table + ": " + e.getMessage(), e);
        }
    }

    static PgVectorConfig.Builder config(String table) {
        return PgVectorConfig.builder(url()).table(table).poolSize(4);
    }
}
