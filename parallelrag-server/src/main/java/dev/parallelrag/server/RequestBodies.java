package dev.parallelrag.server;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reading a request body within the route's limit. {@code ctx.body()} stops at
 * {@link ServerConfig#maxJsonBodyBytes()} on every route; an {@link Routes#upload} route that takes a large JSON
 * body reads it with {@link #bytes} instead, which stops at the route's own limit, also for a body sent without a
 * {@code Content-Length} (chunked).
 */
public final class RequestBodies {

    /** The request attribute that holds the body limit of the route that matched, set before its handler runs. */
    static final String LIMIT_ATTRIBUTE = "parallelrag.bodyLimit";

    private RequestBodies() {
    }

    /**
     * The whole body, at most the route's limit.
     *
     * @throws ApiException 413 when the body is longer
     */
    public static byte[] bytes(Context ctx) throws IOException {
        Long limit = ctx.attribute(LIMIT_ATTRIBUTE);
        long max = limit == null ? ServerConfig.DEFAULT_MAX_JSON_BODY_BYTES : limit;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        long total = 0;
        try (InputStream in = ctx.bodyInputStream()) {
            for (int n; (n = in.read(chunk)) != -1; ) {
                total += n;
                if (total > max) {
                    throw tooLarge(max);
                }
                out.write(chunk, 0, n);
            }
        }
        return out.toByteArray();
    }

    static ApiException tooLarge(long max) {
        return ApiException.tooLarge("the request body is over the " + max + " bytes this route takes; send less per"
                + " request");
    }
}
