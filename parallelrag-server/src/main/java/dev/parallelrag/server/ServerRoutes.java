package dev.parallelrag.server;

/**
 * A set of routes the server serves: each area of the API (health, query, jobs, metrics, the web page) implements
 * one, and {@link StandardRoutes#create()} lists them all in one place. See the package documentation for how to add
 * one.
 *
 * <p>{@link #register} runs once, before the server binds its ports; the routes it declares are the only ones the
 * server has. {@link #close()} runs after the server stopped taking requests and before the caller closes the engine:
 * a set that started threads or holds resources (ingest jobs, an event stream hub) releases them there.
 */
public interface ServerRoutes {

    /** Declares this set's routes on {@code routes}; {@code context} has the engine and the settings they use. */
    void register(Routes routes, ServerContext context);

    /** Releases what {@link #register} started; the server calls it once, after the last request. */
    default void close() {
    }
}
