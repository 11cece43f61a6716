package dev.parallelrag.server.openapi;

import dev.parallelrag.server.Routes;
import dev.parallelrag.server.ServerContext;
import dev.parallelrag.server.ServerRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 document of every route the server serves, without a key (a client reads
 * the contract before it has one). The document is read once when the server starts, so a jar without it fails at
 * start, not on the first request.
 */
public final class OpenApiRoutes implements ServerRoutes {

    /** Where the document is served. */
    public static final String PATH = "/openapi.json";
    /** The document, a resource of this package. */
    public static final String RESOURCE = "openapi.json";

    @Override
    public void register(Routes routes, ServerContext context) {
        byte[] document = document();
        routes.get(PATH, ctx -> ctx.contentType("application/json").header("Cache-Control", "no-cache").result(document));
    }

    /** The document's bytes, as served. */
    public static byte[] document() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the server's jar has no " + RESOURCE + " beside " + OpenApiRoutes.class
                        .getName() + "; rebuild parallelrag-server");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the server's " + RESOURCE + " could not be read", e);
        }
    }
}
