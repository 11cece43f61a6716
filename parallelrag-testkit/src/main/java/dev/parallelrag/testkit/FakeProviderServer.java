package dev.parallelrag.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake LLM and embedding provider on loopback that speaks the OpenAI, Anthropic, Gemini and Ollama wire
 * formats, with deterministic content ({@link FakeContent}), scripted latency ({@link Latency}), scripted faults
 * ({@link FaultPlan}) and provider-style rate limits. Every request is recorded for assertions.
 *
 * <pre>{@code
 * try (FakeProviderServer server = FakeProviderServer.builder()
 *         .latency(Latency.fixed(Duration.ofMillis(200)))
 *         .faults(FaultPlan.sequence(Fault.status(429).retryAfterSeconds(1), Fault.status(500)))
 *         .rateLimit(600, 0)
 *         .start()) {
 *     String openAiBase = server.openAiBaseUrl();   // http://127.0.0.1:PORT/v1
 *     ...
 * }
 * }</pre>
 *
 * Base URLs: OpenAI-compatible clients use {@link #openAiBaseUrl()} ({@code <baseUrl>/v1}); Anthropic, Gemini and
 * Ollama clients use {@link #baseUrl()} (paths {@code /v1/messages}, {@code /v1beta/models/...}, {@code /api/...}).
 * Each request runs on its own virtual thread; {@link #close()} interrupts stalls and returns promptly.
 */
public final class FakeProviderServer implements AutoCloseable {

    private static final java.time.format.DateTimeFormatter HTTP_DATE = java.time.format.DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(java.time.ZoneOffset.UTC);

    private final HttpServer http;
    private final ExecutorService executor;
    private final List<ProviderApi> apis =
            List.of(new OpenAiApi(), new AnthropicApi(), new GeminiApi(), new OllamaApi());
    private final RequestWindowLimiter limiter;
    private final int dimension;
    private final String apiKey;
    private final int recordLimit;
    private final Duration streamChunkDelay;
    private final int maxAnswerTokens;
    private volatile Latency latency;
    private volatile FaultPlan faults;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    /** Whether the request of this handler thread still counts in {@link #inFlight}. */
    private final ThreadLocal<AtomicBoolean> counted = new ThreadLocal<>();
    private final ArrayDeque<RecordedRequest> log = new ArrayDeque<>();

    private FakeProviderServer(Builder b) throws IOException {
        this.limiter = new RequestWindowLimiter(b.rpm, b.tpm, b.window, System::nanoTime);
        this.dimension = b.dimension;
        this.apiKey = b.apiKey;
        this.recordLimit = b.recordLimit;
        this.streamChunkDelay = b.streamChunkDelay;
        this.maxAnswerTokens = b.maxAnswerTokens;
        this.latency = b.latency;
        this.faults = b.faults;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(b.host), b.port), 1024);
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Root URL without a trailing slash, e.g. {@code http://127.0.0.1:43123}. */
    public String baseUrl() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Base URL for OpenAI-compatible clients: {@code baseUrl() + "/v1"} (as OPENAI_BASE_URL is usually given). */
    public String openAiBaseUrl() {
        return baseUrl() + "/v1";
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Number of requests received since start or the last {@link #reset()}, whatever their outcome. */
    public int requestCount() {
        return (int) sequence.get();
    }

    /** Requests received whose path contains {@code pathPart}. */
    public int requestCount(String pathPart) {
        return (int) requests().stream().filter(r -> r.path().contains(pathPart)).count();
    }

    /** The recorded requests in arrival order (the most recent {@code recordLimit} of them). */
    public List<RecordedRequest> requests() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Requests being handled right now (including stalled and sleeping ones). */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most requests handled at once since start or the last {@link #reset()}: shows a client's concurrency. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Replaces the fault plan (several plans combine with {@link FaultPlan#firstOf}). */
    public void faults(FaultPlan... plans) {
        this.faults = plans.length == 1 ? plans[0] : FaultPlan.firstOf(plans);
    }

    /** Replaces the latency distribution. */
    public void latency(Latency newLatency) {
        this.latency = Objects.requireNonNull(newLatency, "latency");
    }

    /** Clears the request log and counters, empties the rate-limit window and resets the fault plan. */
    public void reset() {
        synchronized (log) {
            log.clear();
        }
        sequence.set(0);
        maxInFlight.set(inFlight.get());
        limiter.reset();
        faults.reset();
    }

    /** Stops the server at once: stalled and sleeping requests are interrupted and their connections closed. */
    @Override
    public void close() {
        executor.shutdownNow();
        http.stop(0);
    }

    // ---------------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        counted.set(new AtomicBoolean(true));
        try {
            serve(ex);
        } catch (IOException e) {
            // the client went away mid-response: nothing to tell it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            answering();
            counted.remove();
            ex.close();
        }
    }

    /**
     * Ends the count of the request this handler thread serves, just before the last of its response goes out
     * (or its connection is dropped). A client that holds N requests at once sends the next one as soon as it has
     * an answer; still counting the answered one then would make {@link #maxInFlight()} read N + 1.
     */
    private void answering() {
        AtomicBoolean c = counted.get();
        if (c != null && c.getAndSet(false)) {
            inFlight.decrementAndGet();
        }
    }

    private void serve(HttpExchange ex) throws IOException, InterruptedException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        RecordedRequest request = new RecordedRequest(sequence.incrementAndGet(), ex.getRequestMethod(), path, query,
                headers, body, Instant.now(), "pending");

        ProviderApi api = apis.stream().filter(a -> a.serves(path)).findFirst().orElse(null);
        if (api == null) {
            record(request.withOutcome("not_found"));
            sendJson(ex, 404, apis.get(0).errorJson(404, "Unknown path " + path + ". The testkit serves "
                    + "/v1/chat/completions, /v1/embeddings, /v1/messages, /v1beta/models/{model}:{method}, "
                    + "/api/chat, /api/embed."), Map.of());
            return;
        }
        if (!ex.getRequestMethod().equals("POST")) {
            record(request.withOutcome("method_not_allowed"));
            sendJson(ex, 405, api.errorJson(405, "Method " + ex.getRequestMethod() + " not allowed; use POST"),
                    Map.of());
            return;
        }
        Calls.Call call;
        ProviderApi.Incoming in;
        try {
            JsonNode json = parseBody(body);
            in = new ProviderApi.Incoming(path, query, headers, json, request.sequence(), dimension, apiKey);
            api.authenticate(in);
            call = api.parse(in);
            if (maxAnswerTokens > 0 && call instanceof Calls.Chat chat) {
                call = chat.limitedTo(maxAnswerTokens);
            }
        } catch (ApiError e) {
            record(request.withOutcome(e.outcome()));
            sendJson(ex, e.status(), api.errorJson(e.status(), e.getMessage()), Map.of());
            return;
        }

        if (limiter.enabled()) {
            RequestWindowLimiter.Decision d = limiter.tryAcquire(call.tokenCost());
            if (!d.admitted()) {
                record(request.withOutcome("rate_limited"));
                Map<String, String> h = new LinkedHashMap<>(api.rateLimitHeaders(d));
                h.put("retry-after", String.valueOf(ceilSeconds(d.retryAfter())));
                sendJson(ex, 429, api.errorJson(429, "Rate limit reached for " + d.limitName() + " per minute: "
                        + "limit " + d.limit() + ". Please try again in " + ProviderApi.goDuration(d.retryAfter())
                        + "."), h);
                return;
            }
        }

        Fault fault = faults.next(request);
        record(request.withOutcome(fault.label()));
        if (fault.kind() == Fault.Kind.STALL) {
            Thread.sleep(fault.stallFor());
            abort(ex);
            return;
        }
        Duration delay = latency.sample();
        if (!delay.isZero()) {
            Thread.sleep(delay);
        }
        switch (fault.kind()) {
            case STATUS -> sendJson(ex, fault.status(), api.errorJson(fault.status(), faultMessage(fault)),
                    faultHeaders(fault));
            case CONNECTION_RESET -> abort(ex);
            default -> send(ex, render(api, call, in, fault.kind() == Fault.Kind.WRONG_ITEM_COUNT), fault);
        }
    }

    private static Reply render(ProviderApi api, Calls.Call call, ProviderApi.Incoming in, boolean wrongCount) {
        return switch (call) {
            case Calls.Chat chat -> api.chat(chat, in, wrongCount);
            case Calls.Embed embed -> api.embed(embed, in, embed.vectors(wrongCount));
        };
    }

    private static JsonNode parseBody(String body) throws ApiError {
        if (body.isBlank()) {
            throw ApiError.badRequest("The request body is empty; send a JSON object.");
        }
        try {
            JsonNode node = ProviderApi.JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest("The request body must be a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("We could not parse the JSON body of your request: "
                    + e.getOriginalMessage());
        }
    }

    private static String faultMessage(Fault fault) {
        if (fault.message() != null) {
            return fault.message();
        }
        return switch (fault.status()) {
            case 400 -> "Invalid request (testkit fault).";
            case 401 -> "Invalid API key (testkit fault).";
            case 404 -> "The model does not exist (testkit fault).";
            case 429 -> "Rate limit reached (testkit fault).";
            case 529 -> "Overloaded";
            case 503 -> "The service is temporarily unavailable (testkit fault).";
            default -> "The server had an error while processing your request (testkit fault).";
        };
    }

    private static Map<String, String> faultHeaders(Fault fault) {
        Map<String, String> h = new LinkedHashMap<>(fault.headers());
        if (fault.retryAfterSeconds() >= 0) {
            h.put("retry-after", String.valueOf(fault.retryAfterSeconds()));
        }
        if (fault.retryAfterDate() != null) {
            Instant target = Instant.now().plus(fault.retryAfterDate());
            // HTTP dates have whole seconds: round up so the client never waits less than asked
            Instant whole = target.getNano() == 0 ? target : target.plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            h.put("retry-after", HTTP_DATE.format(whole));
        }
        if (fault.rateLimitReset() != null) {
            h.put("x-ratelimit-reset-requests", ProviderApi.goDuration(fault.rateLimitReset()));
            h.put("x-ratelimit-reset-tokens", ProviderApi.goDuration(fault.rateLimitReset()));
        }
        return h;
    }

    private static long ceilSeconds(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }

    private void record(RecordedRequest r) {
        synchronized (log) {
            log.addLast(r);
            while (log.size() > recordLimit) {
                log.removeFirst();
            }
        }
    }

    private void sendJson(HttpExchange ex, int status, String json, Map<String, String> headers)
            throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("Content-Type", "application/json");
        answering();
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void send(HttpExchange ex, Reply reply, Fault fault) throws IOException, InterruptedException {
        boolean malformed = fault.kind() == Fault.Kind.MALFORMED_JSON;
        boolean truncated = fault.kind() == Fault.Kind.TRUNCATED_STREAM;
        if (fault.kind() == Fault.Kind.STALL_MID_STREAM) {
            sendThenStall(ex, reply, fault.stallFor());
            return;
        }
        switch (reply) {
            case Reply.Json json -> {
                String body = malformed ? json.body().substring(0, json.body().length() / 2) : json.body();
                if (truncated) {
                    json.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    sendCut(ex, body.getBytes(StandardCharsets.UTF_8));
                } else {
                    sendJson(ex, json.status(), body, json.headers());
                }
            }
            case Reply.Stream stream -> {
                ex.getResponseHeaders().set("Content-Type", stream.contentType());
                ex.getResponseHeaders().set("Cache-Control", "no-cache");
                if (truncated) {
                    sendCut(ex, stream.bytes());
                    return;
                }
                List<Reply.Frame> frames = stream.frames();
                int broken = malformed ? frames.size() / 2 : -1;
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                for (int i = 0; i < frames.size(); i++) {
                    if (i > 0 && !streamChunkDelay.isZero()) {
                        Thread.sleep(streamChunkDelay);
                    }
                    if (i == frames.size() - 1) {
                        answering();
                    }
                    Reply.Frame f = frames.get(i);
                    String text = i == broken
                            ? f.prefix() + f.json().substring(0, f.json().length() / 2) + f.suffix()
                            : f.render();
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.close();
            }
        }
    }

    /**
     * Sends the first half of the reply (a stream's first half of frames, at least one; a JSON body's first
     * half under its full announced length), then holds the connection open and silent for {@code stallFor}
     * before dropping it: a provider that hangs mid-answer.
     */
    private void sendThenStall(HttpExchange ex, Reply reply, Duration stallFor) throws IOException, InterruptedException {
        OutputStream out = ex.getResponseBody();
        switch (reply) {
            case Reply.Json json -> {
                byte[] full = json.body().getBytes(StandardCharsets.UTF_8);
                json.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(json.status(), full.length);
                out.write(full, 0, full.length / 2);
            }
            case Reply.Stream stream -> {
                ex.getResponseHeaders().set("Content-Type", stream.contentType());
                ex.getResponseHeaders().set("Cache-Control", "no-cache");
                // the full length announced, so dropping the connection later is an early EOF, not a clean end
                ex.sendResponseHeaders(200, stream.bytes().length);
                List<Reply.Frame> frames = stream.frames();
                for (int i = 0; i < Math.max(1, frames.size() / 2); i++) {
                    out.write(frames.get(i).render().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        out.flush();
        Thread.sleep(stallFor);
        abort(ex);
    }

    /**
     * Announces the full length, sends the first half, then drops the connection: the client sees the body
     * end early (an EOF mid-response), as when a provider's connection dies mid-stream.
     */
    private void sendCut(HttpExchange ex, byte[] full) throws IOException {
        ex.sendResponseHeaders(200, full.length);
        OutputStream out = ex.getResponseBody();
        out.write(full, 0, full.length / 2);
        out.flush();
        abort(ex);
    }

    /**
     * Drops the connection without completing the response. HttpServer has no abort call: closing an exchange
     * whose fixed-length body is incomplete (or whose headers were never sent) closes the socket, and a handler
     * that throws makes the server discard the connection from its bookkeeping.
     */
    private void abort(HttpExchange ex) {
        answering();
        ex.close();
        throw new ConnectionAborted();
    }

    /** Thrown out of the handler on purpose so HttpServer closes the connection (it does on any exception). */
    private static final class ConnectionAborted extends RuntimeException {
        ConnectionAborted() {
            super("connection aborted by a testkit fault", null, false, false);
        }
    }

    /** Settings for a {@link FakeProviderServer}; {@link #start()} binds and starts it. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Latency latency = Latency.none();
        private FaultPlan faults = FaultPlan.none();
        private int rpm;
        private int tpm;
        private Duration window = Duration.ofMinutes(1);
        private int dimension = 384;
        private String apiKey;
        private int recordLimit = 100_000;
        private Duration streamChunkDelay = Duration.ZERO;
        private int maxAnswerTokens;

        private Builder() {
        }

        /** Pause between streamed events (after the first), to test time-to-first-token and idle timeouts. */
        public Builder streamChunkDelay(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("streamChunkDelay must be a non-negative Duration, got " + value);
            }
            this.streamChunkDelay = value;
            return this;
        }

        /**
         * Most tokens in any chat answer, as if every request asked for at most this many (a smaller
         * {@code max_tokens} of the request still wins; a cut answer ends with finish reason "length"). The echoed
         * answer of a RAG prompt is as long as its prompt; this keeps a slow stream to a known number of events.
         * Default 0: no limit beyond the request's.
         */
        public Builder maxAnswerTokens(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxAnswerTokens must be >= 0 (0 = no limit), got " + value);
            }
            this.maxAnswerTokens = value;
            return this;
        }

        /** Interface to bind; default 127.0.0.1 (loopback only). */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** Port to bind; default 0 (any free port, see {@link FakeProviderServer#port()}). */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be 0..65535 (0 = any free port), got " + value);
            }
            this.port = value;
            return this;
        }

        /** Delay before each response; default none. */
        public Builder latency(Latency value) {
            this.latency = Objects.requireNonNull(value, "latency");
            return this;
        }

        /** Fault plan; several plans combine with {@link FaultPlan#firstOf}. Default none. */
        public Builder faults(FaultPlan... plans) {
            this.faults = plans.length == 1 ? plans[0] : FaultPlan.firstOf(plans);
            return this;
        }

        /** Requests and tokens per minute, enforced over a sliding window; 0 turns a limit off (default). */
        public Builder rateLimit(int requestsPerMinute, int tokensPerMinute) {
            if (requestsPerMinute < 0 || tokensPerMinute < 0) {
                throw new IllegalArgumentException("rate limits must be >= 0 (0 = off), got rpm="
                        + requestsPerMinute + " tpm=" + tokensPerMinute);
            }
            this.rpm = requestsPerMinute;
            this.tpm = tokensPerMinute;
            return this;
        }

        /** Length of the rate-limit window; default one minute. Shorter windows make rate-limit tests fast. */
        public Builder rateLimitWindow(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("rateLimitWindow must be a positive Duration, got " + value);
            }
            this.window = value;
            return this;
        }

        /** Embedding dimension when the request does not ask for one; default 384. */
        public Builder dimension(int value) {
            if (value < 1 || value > 65_536) {
                throw new IllegalArgumentException("dimension must be 1..65536, got " + value);
            }
            this.dimension = value;
            return this;
        }

        /** The only API key accepted; default: any non-blank key (Ollama never needs one). */
        public Builder apiKey(String value) {
            this.apiKey = value;
            return this;
        }

        /** How many recent requests {@link FakeProviderServer#requests()} keeps; default 100,000. */
        public Builder recordLimit(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("recordLimit must be >= 0, got " + value);
            }
            this.recordLimit = value;
            return this;
        }

        /** Binds and starts the server. */
        public FakeProviderServer start() {
            try {
                return new FakeProviderServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the fake provider server on " + host + ":" + port
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /** Runs a server from the command line; see {@link TestkitMain}. */
    public static void main(String[] args) throws InterruptedException {
        System.exit(TestkitMain.run(args, System.out, System.err));
    }
}
