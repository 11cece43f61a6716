package dev.parallelrag.server.query;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.pipeline.HashingEmbeddingModel;
import dev.parallelrag.server.ParallelRagServer;
import dev.parallelrag.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The server on loopback over the sample index (the five addresses of {@code examples/sample}, embedded by core's
 * hashing test model, so no model is loaded), with the query routes, and optionally an LLM.
 */
final class SampleServer implements AutoCloseable {

    static final int DIMENSION = 64;
    static final String LINCOLN = "1861_abraham_lincoln_r.txt";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final ParallelRag engine;
    final ParallelRagServer server;

    private SampleServer(ParallelRag engine, ParallelRagServer server) {
        this.engine = engine;
        this.server = server;
    }

    /** Ingests the sample under {@code dir} and returns the index directory. */
    static Path index(Path dir) throws IOException {
        Path sample = Files.createDirectories(dir.resolve("sample"));
        try (Stream<Path> files = Files.list(Path.of("../examples/sample"))) {
            for (Path f : files.toList()) {
                Files.copy(f, sample.resolve(f.getFileName()));
            }
        }
        Path index = dir.resolve("index");
        try (ParallelRag rag = builder(index, null).build()) {
            rag.ingest(List.of(sample));
        }
        return index;
    }

    private static ParallelRag.Builder builder(Path index, ChatModel llm) {
        return ParallelRag.builder(index).embeddingModel(new HashingEmbeddingModel(DIMENSION)).embeddingCache(false)
                .chatModel(llm);
    }

    static SampleServer start(Path index, ChatModel llm, Duration heartbeat) {
        ParallelRag engine = builder(index, llm).build();
        ParallelRagServer server = ParallelRagServer.builder(engine, ServerConfig.builder().port(0).warmUp(false)
                .sseHeartbeat(heartbeat).build()).routes(List.of(new QueryRoutes())).start();
        return new SampleServer(engine, server);
    }

    static SampleServer start(Path index) {
        return start(index, null, ServerConfig.DEFAULT_SSE_HEARTBEAT);
    }

    int port() {
        return server.port();
    }

    /** The OpenAI base URL of the server: {@code http://127.0.0.1:PORT/v1}. */
    String openAiBaseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).timeout(Duration.ofSeconds(60))
                .GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            engine.close();
        }
    }
}
