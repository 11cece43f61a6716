package dev.parallelrag.server.web;

import dev.parallelrag.server.ApiException;
import dev.parallelrag.server.Routes;
import dev.parallelrag.server.ServerContext;
import dev.parallelrag.server.ServerRoutes;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /}, the web page, and {@code GET /web/{asset}}, its style sheet and script: a fixed set of files read
 * from this package's resources when the server starts, so no request can name any other file.
 *
 * <p>Every answer carries a Content-Security-Policy that allows nothing but this server: the page runs no inline
 * script and loads nothing from the internet, and text from the index can never run as code in it. An ETag lets
 * the browser revalidate instead of fetching the files again.
 */
public final class WebPageRoutes implements ServerRoutes {

    static final String PAGE_PATH = "/";
    static final String ASSET_PATH = "/web/{asset}";

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final String PAGE = "index.html";
    /** The files the page loads, by the name it loads them by, with their media types. */
    private static final Map<String, String> ASSETS = Map.of(
            "app.css", "text/css; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8");

    @Override
    public void register(Routes routes, ServerContext context) {
        StaticFile page = StaticFile.load(PAGE, "text/html; charset=utf-8");
        Map<String, StaticFile> assets = new LinkedHashMap<>();
        ASSETS.forEach((name, type) -> assets.put(name, StaticFile.load(name, type)));
        routes.get(PAGE_PATH, ctx -> page.send(ctx))
                .get(ASSET_PATH, ctx -> {
                    StaticFile asset = assets.get(ctx.pathParam("asset"));
                    if (asset == null) {
                        throw ApiException.notFound("the web page has no file " + ctx.pathParam("asset")
                                + "; it loads " + String.join(" and ", assets.keySet()));
                    }
                    asset.send(ctx);
                });
    }

    /** One file of the page, its bytes kept from start-up. */
    private record StaticFile(byte[] bytes, String contentType, String etag) {

        static StaticFile load(String name, String contentType) {
            try (InputStream in = WebPageRoutes.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("the web page's " + name + " is missing from the server's jar");
                }
                byte[] bytes = in.readAllBytes();
                return new StaticFile(bytes, contentType, '"' + sha256(bytes) + '"');
            } catch (IOException e) {
                throw new UncheckedIOException("the web page's " + name + " could not be read", e);
            }
        }

        void send(Context ctx) {
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "no-cache")
                    .header("ETag", etag);
            if (etag.equals(ctx.header("If-None-Match"))) {
                ctx.status(304);
                return;
            }
            ctx.contentType(contentType).result(bytes);
        }

        private static String sha256(byte[] bytes) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }
    }
}
