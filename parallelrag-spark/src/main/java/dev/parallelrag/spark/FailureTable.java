package dev.parallelrag.spark;

import dev.parallelrag.error.StoreException;
import dev.parallelrag.pipeline.FileFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;

/**
 * The documents a job could not ingest, kept in PostgreSQL next to the chunks: {@code <table>_failures}, one row per
 * document (source, stage, kind, message, when), so that an operator finds what to fix without the driver's log. A
 * later job that ingests a document removes its row; one that fails it again replaces the row.
 */
final class FailureTable {

    private final String pgUrl;
    private final String name;

    FailureTable(String pgUrl, String chunkTable) {
        this.pgUrl = pgUrl;
        this.name = chunkTable + "_failures";
    }

    String name() {
        return name;
    }

    /** Records {@code failed} and forgets the earlier failures of {@code succeeded}, in one transaction. */
    void record(List<FileFailure> failed, Collection<String> succeeded) {
        try (Connection c = DriverManager.getConnection(pgUrl)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("create table if not exists " + name + " (source text primary key, stage text not null,"
                        + " kind text not null, message text not null, failed_at timestamptz not null default now())");
            }
            try (PreparedStatement delete = c.prepareStatement("delete from " + name + " where source = any(?)")) {
                delete.setArray(1, c.createArrayOf("text", succeeded.toArray()));
                delete.executeUpdate();
            }
            try (PreparedStatement upsert = c.prepareStatement("insert into " + name + " (source, stage, kind, message)"
                    + " values (?, ?, ?, ?) on conflict (source) do update set stage = excluded.stage,"
                    + " kind = excluded.kind, message = excluded.message, failed_at = now()")) {
                for (FileFailure f : failed) {
                    upsert.setString(1, f.source());
                    upsert.setString(2, f.stage());
                    upsert.setString(3, f.kind().wireName());
                    upsert.setString(4, f.message());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new StoreException("pgvector " + name + ": recording the failed documents failed: " + e.getMessage()
                    + "; check the database (the chunks are written)", e);
        }
    }
}
