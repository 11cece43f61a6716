package dev.parallelrag.spark;

import dev.parallelrag.pgvector.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * The PostgreSQL with pgvector the tests write to, found (or the test skipped or failed) by pgvector's
 * {@link TestDatabase}; here the queries the Spark tests check the written tables with.
 */
final class TestPostgres {

    private TestPostgres() {
    }

    static String url() {
        return TestDatabase.url();
    }

    /** A table name no other test or earlier run uses, its tables (the failure table too) dropped first. */
    static String freshTable(String prefix) {
        String table = TestDatabase.freshTable(prefix);
        execute("drop table if exists " + table + "_failures");
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
