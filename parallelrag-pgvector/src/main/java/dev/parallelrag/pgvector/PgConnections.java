package dev.parallelrag.pgvector;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parallelrag.error.StoreException;
import dev.parallelrag.resilience.RetryPolicy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The store's HikariCP pool. Taking a connection goes through the providers' {@link RetryPolicy}: a database that
 * is restarting or briefly unreachable is retried with the same backoff, up to the same number of attempts.
 */
final class PgConnections implements AutoCloseable {

    private final PgVectorConfig config;
    private final HikariDataSource pool;
    private final RetryPolicy retry;

    PgConnections(PgVectorConfig config) {
        this.config = config;
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        if (config.user() != null) {
            hikari.setUsername(config.user());
        }
        if (config.password() != null) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
        hikari.setPoolName("parallelrag-pgvector-" + config.table());
        // the first connection is taken (and retried) by the store, not by the pool's constructor
        hikari.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(hikari);
        this.retry = new RetryPolicy(config.resilience());
    }

    /** A connection, after up to {@code resilience.maxAttempts} attempts when the database cannot be reached. */
    Connection connection(String operation) {
        int attempts = config.resilience().maxAttempts();
        for (int attempt = 1; ; attempt++) {
            try {
                return pool.getConnection();
            } catch (SQLException e) {
                if (isLoginRefused(e)) {
                    throw new StoreException("pgvector " + config.location() + ": " + operation + " was refused by"
                            + " PostgreSQL: " + reason(e) + "; check the user and password (in the URL as"
                            + " ?user=...&password=..., or in PgVectorConfig)", e);
                }
                if (!isConnectionFailure(e) || attempt >= attempts) {
                    throw new StoreException("pgvector " + config.location() + ": " + operation + " could not get a"
                            + " connection after " + attempt + " attempt(s): " + reason(e)
                            + "; check that PostgreSQL is running and the URL is right", e);
                }
                sleep(retry.waitMillis(attempt, e));
            }
        }
    }

    /** The pool's timeout says only that it waited; the driver's error under it says why (refused, unknown host). */
    private static String reason(SQLException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getMessage() : e.getMessage() + " (" + root.getMessage() + ")";
    }

    /** SQL state class 28: invalid authorization (a wrong password, an unknown user); retrying cannot help. */
    private static boolean isLoginRefused(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("28")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException || (state != null && state.startsWith("08"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to retry a PostgreSQL connection", e);
        }
    }

    boolean isClosed() {
        return pool.isClosed();
    }

    @Override
    public void close() {
        pool.close();
    }
}
