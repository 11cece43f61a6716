package dev.parallelrag.provider.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallelrag.error.AuthenticationException;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ProviderTimeoutException;
import dev.parallelrag.error.RateLimitedException;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.resilience.AttemptTimeouts;
import dev.parallelrag.resilience.ResilienceConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One attempt of one HTTP request to a provider, and the mapping of whatever goes wrong to a typed error.
 * Signs requests with the provider's auth header; the key never appears in anything we raise or log
 * (error bodies are scrubbed of it too). Retries are not done here but by the client's executor.
 *
 * <p>Timeouts are the client's: each attempt enforces the {@link AttemptTimeouts#current()} its client's
 * executor published (a request and its response within the attempt timeout; a stream's first byte
 * within it, then each line within the idle timeout and all of it within the deadline). Called outside a
 * client, the provider's own defaults apply ({@link ProviderKind#attemptTimeout()} and the stream defaults
 * of {@link ResilienceConfig}).
 */
final class ProviderHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> RETRYABLE_STATUS = Set.of(408, 500, 502, 503, 504, 529);

    private final ProviderConfig config;

    ProviderHttp(ProviderConfig config) {
        this.config = config;
    }

    ProviderConfig config() {
        return config;
    }

    String provider() {
        return config.kind().id();
    }

    /** The timeouts of the current attempt: its client's, or this provider's defaults outside a client. */
    AttemptTimeouts timeouts() {
        return AttemptTimeouts.current().orElseGet(
                () -> AttemptTimeouts.of(ResilienceConfig.defaults(), config.kind().attemptTimeout()));
    }

    /** POSTs JSON and returns the parsed JSON response, all within the attempt timeout. */
    JsonNode postJson(String path, ObjectNode body) {
        Duration timeout = timeouts().attempt();
        HttpResponse<String> response = send(path, body, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
                timeout);
        String text = response.body();
        if (response.statusCode() / 100 != 2) {
            throw statusError(path, response.statusCode(), response.headers(), text);
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProviderException(provider() + " returned a response that is not valid JSON for " + path
                    + "; the provider or a proxy in between is misbehaving", response.statusCode(),
                    redact(text), false);
        }
    }

    /** Line handler of a streamed response; return false to stop reading. */
    interface LineHandler {
        boolean onLine(String line);
    }

    /**
     * POSTs JSON and feeds the streamed response to {@code handler} line by line. The response must start
     * within the attempt timeout (and the deadline), each next line come within the idle timeout, and the
     * whole stream end within the deadline; otherwise a {@link ProviderTimeoutException} says which.
     */
    void postStream(String path, ObjectNode body, LineHandler handler) {
        AttemptTimeouts t = timeouts();
        long start = System.nanoTime();
        Duration firstByte = t.attempt().compareTo(t.streamDeadline()) < 0 ? t.attempt() : t.streamDeadline();
        HttpResponse<InputStream> response;
        try {
            response = send(path, body, HttpResponse.BodyHandlers.ofInputStream(), firstByte);
        } catch (ProviderTimeoutException e) {
            if (firstByte.equals(t.streamDeadline()) && e.timeout().equals(firstByte)) {
                throw streamTimeout(path, StreamWatchdog.Limit.DEADLINE, firstByte, e); // the deadline came first
            }
            throw e;
        }
        try (InputStream in = response.body();
             StreamWatchdog watchdog = new StreamWatchdog(in, t.streamIdle(), t.streamDeadline(), start)) {
            if (response.statusCode() / 100 != 2) {
                String text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                throw statusError(path, response.statusCode(), response.headers(), text);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            try {
                while (true) {
                    watchdog.waiting();
                    String line = reader.readLine();
                    watchdog.received();
                    if (line == null || !handler.onLine(line)) {
                        return;
                    }
                }
            } catch (IOException e) {
                StreamWatchdog.Limit limit = watchdog.expired();
                if (limit != null) {
                    throw streamTimeout(path, limit, watchdog.limit(limit), e);
                }
                throw e;
            }
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) { // the caller cut the stream off: not the provider's failure
                throw new CancellationException("interrupted while reading the stream of " + provider());
            }
            throw connectionError(path, e);
        }
    }

    /**
     * Sends one request; {@code timeout} bounds the wait for what the handler completes with (the full
     * body, or for a stream its headers), connecting included.
     */
    private <T> HttpResponse<T> send(String path, ObjectNode body, HttpResponse.BodyHandler<T> handler,
                                     Duration timeout) {
        HttpRequest request = request(path, body, timeout);
        CompletableFuture<HttpResponse<T>> future = SharedHttpClients.forConfig(config).sendAsync(request, handler);
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timeout(path, timeout, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + provider());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException ct) {
                throw timeout(path, config.connectTimeout(), ct);
            }
            if (cause instanceof HttpTimeoutException t) {
                throw timeout(path, timeout, t);
            }
            if (cause instanceof IOException io) {
                throw connectionError(path, io);
            }
            if (cause instanceof ParallelRagException p) {
                throw p;
            }
            throw new ProviderException("request to " + provider() + " failed: " + cause, 0, null, false, cause);
        }
    }

    private HttpRequest request(String path, ObjectNode body, Duration timeout) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request body could not be written as JSON", e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream, application/x-ndjson")
                .header("User-Agent", "parallelrag-java/0.1")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        config.apiKey().ifPresent(key -> {
            switch (config.kind().wire()) {
                case ANTHROPIC -> b.header("x-api-key", key.value());
                case GEMINI -> b.header("x-goog-api-key", key.value());
                case OPENAI, OLLAMA -> b.header("Authorization", "Bearer " + key.value());
            }
        });
        if (config.kind().wire() == ProviderKind.WireFormat.ANTHROPIC) {
            b.header("anthropic-version", "2023-06-01");
        }
        for (Map.Entry<String, String> h : config.headers().entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        return b.build();
    }

    private RuntimeException statusError(String path, int status, java.net.http.HttpHeaders headers, String body) {
        String safeBody = redact(body);
        String who = provider() + " (" + config.safeBaseUrl() + path + ")";
        // Gemini answers a bad key with 400 INVALID_ARGUMENT / API_KEY_INVALID rather than 401
        boolean geminiBadKey = status == 400 && config.kind().wire() == ProviderKind.WireFormat.GEMINI && body != null
                && (body.contains("API_KEY_INVALID") || body.contains("API key not valid"));
        if (status == 401 || status == 403 || geminiBadKey) {
            String where = config.kind().apiKeyEnv() == null ? "the apiKey you configured"
                    : "the environment variable " + config.kind().apiKeyEnv() + " or the apiKey you passed";
            return new AuthenticationException(provider(), status, who + " rejected the credentials (HTTP " + status
                    + "); check " + where + ", and that the key may use this model. Response: "
                    + ProviderException.excerpt(safeBody));
        }
        Duration retryAfter = RetryAfterHeaders.parse(headers, Clock.systemUTC()).orElse(null);
        if (status == 429) {
            return new RateLimitedException(who + " is rate limiting requests (HTTP 429)"
                    + (retryAfter == null ? "" : ", asked to wait " + retryAfter.toMillis() + " ms")
                    + "; if this persists after the automatic retries, lower the concurrency, set"
                    + " requestsPerMinute/tokensPerMinute, or try later. Response: " + ProviderException.excerpt(safeBody), retryAfter);
        }
        if (RETRYABLE_STATUS.contains(status)) {
            return new ProviderException(who + " failed with HTTP " + status + (status == 529 ? " (overloaded)" : "")
                    + "; this is retried automatically; if it persists, check the provider's status page",
                    status, safeBody, true, retryAfter, null);
        }
        String hint = switch (status) {
            case 404 -> "check the model name and the base URL";
            case 400, 422 -> "check the request parameters (model, max tokens, input size)";
            case 413 -> "the input is too large; send smaller batches";
            default -> "this is not retried";
        };
        return new ProviderException(who + " rejected the request with HTTP " + status + "; " + hint, status, safeBody, false);
    }

    private ProviderTimeoutException timeout(String path, Duration timeout, Throwable cause) {
        return new ProviderTimeoutException(provider() + " (" + config.safeBaseUrl() + path + ") did not answer within "
                + timeout.toMillis() + " ms; it is retried automatically; raise attemptTimeout if the model is slow",
                timeout, cause);
    }

    private ProviderTimeoutException streamTimeout(String path, StreamWatchdog.Limit limit, Duration length,
                                                   Throwable cause) {
        String what = limit == StreamWatchdog.Limit.IDLE
                ? "sent nothing for " + length.toMillis() + " ms in the middle of a stream; raise streamIdleTimeout if the "
                        + "model pauses that long"
                : "did not finish the stream within its deadline of " + length.toMillis() + " ms; raise streamDeadline "
                        + "for answers that long";
        return new ProviderTimeoutException(provider() + " (" + config.safeBaseUrl() + path + ") " + what, length, cause);
    }

    private ProviderException connectionError(String path, IOException e) {
        String what = e instanceof ConnectException ? "could not connect to " : "lost the connection to ";
        return new ProviderException(what + provider() + " at " + config.safeBaseUrl() + path + " ("
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + redact(e.getMessage()))
                + "); it is retried automatically; check the base URL and the network", 0, null, true, e);
    }

    String redact(String text) {
        return config.apiKey().map(k -> k.redact(text)).orElse(text);
    }

    /** A fresh JSON object for request bodies. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A response we cannot use: not retried (another try gets the same answer from a broken server). */
    ProviderException malformed(String what, JsonNode body) {
        return new ProviderException(provider() + " returned an unexpected response: " + what
                + "; check that the base URL points at a " + config.kind().wire().name().toLowerCase(java.util.Locale.ROOT)
                + "-compatible API", 200, body == null ? null : redact(body.toString()), false);
    }
}
