package dev.parallelrag.spark;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL with pgvector the tests write to: {@code PARALLELRAG_PG_URL} (scripts/pg-cluster.sh starts one).
 * Without it the tests are skipped, unless {@code PARALLELRAG_PG_REQUIRED=true} (CI), which makes them fail.
 */
final class TestPostgres {

    private static final AtomicInteger TABLES = new AtomicInteger();

    private TestPostgres() {
    }

    static String url() {
        String url = System.getenv("PARALLELRAG_PG_URL");
        if (url == null || url.isBlank()) {
            String message = "PARALLELRAG_PG_URL is not set: start PostgreSQL with `export $(scripts/pg-cluster.sh start)`";
            if (Boolean.parseBoolean(System.getenv("PARALLELRAG_PG_REQUIRED"))) {
                fail(message + " (PARALLELRAG_PG_REQUIRED is set, so the Spark tests may not be skipped)");
            }
            Assumptions.abort(message);
        }
        return url;
    }

    /** A table name no other test or earlier run uses, its tables dropped first. */
    static String freshTable(String prefix) {
        String table = prefix + "_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
        execute("drop table if exists " + table + ", " + table + "_info, " + table + "_meta, " + table + "_failures");
        return table;
    }

    static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Every chunk of the table, id to text, as stored: a duplicate id cannot exist (primary key), a missing one shows. */
    static Map<String, String> chunks(String table) {
        return query("select id, content from " + table);
    }

    static long count(String table) {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from " + table)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return 0; // the table does not exist yet
        }
    }

    /** Two text columns as a sorted map. */
    static Map<String, String> query(String sql) {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return out;
    }
}
