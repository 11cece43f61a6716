package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.engine.ParallelRag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The web page's files over HTTP: what {@code GET /} and {@code GET /web/{asset}} send, and with which headers. */
class WebPageRoutesTest {

    @TempDir
    static Path dir;

    private static ParallelRag engine;
    private static ParallelRagServer server;

    @BeforeAll
    static void start() throws IOException {
        engine = TestIndex.open(dir);
        server = ParallelRagServer.start(engine, ServerConfig.builder().port(0).build());
    }

    @AfterAll
    static void stop() {
        server.close();
        engine.close();
    }

    @Test
    void thePageIsServedAtTheRootAndLoadsOnlyFilesTheServerHas() {
        HttpResponse<String> page = Http.get(server.port(), "/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(mediaType(page)).isEqualTo("text/html;charset=utf-8");
        assertThat(page.body()).contains("<title>ParallelRAG</title>");
        // every script and style sheet the page names is on this server, and each one answers
        Matcher loads = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        int found = 0;
        while (loads.find()) {
            String target = loads.group(1);
            if (target.startsWith("#") || target.startsWith("data:")) {
                continue;
            }
            assertThat(target).as("loaded from this server").startsWith("/web/");
            assertThat(Http.get(server.port(), target).statusCode()).as(target).isEqualTo(200);
            found++;
        }
        assertThat(found).isEqualTo(2);
    }

    @Test
    void theScriptAndStyleSheetHaveTheirMediaTypes() {
        HttpResponse<String> script = Http.get(server.port(), "/web/app.js");
        HttpResponse<String> style = Http.get(server.port(), "/web/app.css");

        assertThat(mediaType(script)).isEqualTo("text/javascript;charset=utf-8");
        assertThat(script.body()).contains("'use strict';");
        assertThat(mediaType(style)).isEqualTo("text/css;charset=utf-8");
        assertThat(style.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void everyFileCarriesAPolicyThatAllowsOnlyThisServerAndNoInlineScript() {
        for (String path : new String[] {"/", "/web/app.js", "/web/app.css"}) {
            String policy = Http.get(server.port(), path).headers().firstValue("Content-Security-Policy").orElseThrow();

            assertThat(policy).as(path).startsWith("default-src 'none';").contains("script-src 'self';")
                    .contains("connect-src 'self';").contains("frame-ancestors 'none'").doesNotContain("unsafe");
        }
    }

    @Test
    void anUnknownFileIsA404InTheErrorShapeThatNamesTheFilesThereAre() {
        HttpResponse<String> missing = Http.get(server.port(), "/web/..%2Fpom.xml");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Http.json(missing).at("/error/type").asText()).isEqualTo(ErrorType.NOT_FOUND);
        assertThat(Http.json(missing).at("/error/message").asText()).contains("app.css").contains("app.js");
    }

    @Test
    void aBrowserThatHasTheFileRevalidatesItWithItsETag() {
        HttpResponse<String> first = Http.get(server.port(), "/web/app.js");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = Http.send(Http.request(server.port(), "/web/app.js").header("If-None-Match", etag).GET().build());
        HttpResponse<String> stale = Http.send(Http.request(server.port(), "/web/app.js").header("If-None-Match", "\"other\"").GET().build());

        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(first.body());
    }

    /** The Content-Type without spaces, lower case (Jetty writes some with a space before the charset, some without). */
    private static String mediaType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
