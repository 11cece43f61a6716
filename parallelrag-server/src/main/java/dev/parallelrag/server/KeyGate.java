package dev.parallelrag.server;

import dev.parallelrag.server.auth.ApiKeys;
import dev.parallelrag.server.auth.ClientKey;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The door of every {@code /v1/*} route: the request must carry {@code Authorization: Bearer <key>} with one of the
 * server's {@link ApiKeys} (401 otherwise), and the key's own limits must have room (429 with {@code Retry-After}
 * otherwise): its requests a minute (a Resilience4j rate limiter, refilled every minute) and its requests running at
 * once (a Resilience4j bulkhead). Without keys the door is open: the server is then bound to a loopback address
 * ({@link ServerConfig} refuses any other).
 */
final class KeyGate {

    /** What a client asked to wait after a concurrency rejection: by then one of its requests has likely ended. */
    static final Duration CONCURRENCY_RETRY_AFTER = Duration.ofSeconds(1);
    private static final String BEARER = "bearer ";
    /** The request attribute holding the {@link ClientKey} that {@link #authenticate} found. */
    static final String KEY_ATTRIBUTE = "parallelrag.clientKey";

    private record Limits(AtomicRateLimiter perMinute, Bulkhead running) {
    }

    private final ApiKeys keys;
    private final Map<String, Limits> limits = new HashMap<>();

    KeyGate(ApiKeys keys) {
        this.keys = keys;
        for (ClientKey k : keys.clients()) {
            AtomicRateLimiter perMinute = k.rpm() == 0 ? null : new AtomicRateLimiter("parallelrag-key-" + k.name(),
                    RateLimiterConfig.custom().limitForPeriod(k.rpm()).limitRefreshPeriod(Duration.ofMinutes(1))
                            .timeoutDuration(Duration.ZERO).build());
            Bulkhead running = k.concurrency() == 0 ? null : Bulkhead.of("parallelrag-key-" + k.name(),
                    BulkheadConfig.custom().maxConcurrentCalls(k.concurrency()).maxWaitDuration(Duration.ZERO).build());
            limits.put(k.name(), new Limits(perMinute, running));
        }
    }

    /**
     * Checks the request's key, on every {@code /v1/*} path (so an unknown one is 401, not 404, until a key is shown)
     * and leaves it in the request for {@link #admit}.
     *
     * @throws ApiException 401 without a key, or with one that is not the server's
     */
    void authenticate(Context ctx) {
        if (keys.isEmpty()) {
            return;
        }
        ClientKey key = keys.match(bearer(ctx).orElseThrow(() -> unauthorized("this route needs an API key: send"
                + " the header Authorization: Bearer <key>"))).orElseThrow(() -> unauthorized("the API key is not one of"
                + " this server's; check the key you send"));
        ctx.attribute(KEY_ATTRIBUTE, key);
    }

    /**
     * Admits the request of an authenticated key within its limits, or throws the 429 that answers it.
     *
     * @return what to run when the request has ended (it frees the key's concurrency slot)
     */
    Runnable admit(Context ctx) {
        if (keys.isEmpty()) {
            return () -> { };
        }
        ClientKey key = ctx.attribute(KEY_ATTRIBUTE);
        if (key == null) {
            authenticate(ctx);
            key = ctx.attribute(KEY_ATTRIBUTE);
        }
        Limits l = limits.get(key.name());
        if (l.running() != null && !l.running().tryAcquirePermission()) {
            throw ApiException.rateLimited("key " + key.name() + " has its " + key.concurrency() + " requests running"
                    + " at once (its concurrency limit); retry when one has ended", CONCURRENCY_RETRY_AFTER);
        }
        if (l.perMinute() != null && !l.perMinute().acquirePermission()) {
            if (l.running() != null) {
                l.running().releasePermission();
            }
            Duration wait = Duration.ofNanos(Math.max(0, l.perMinute().getDetailedMetrics().getNanosToWait()));
            throw ApiException.rateLimited("key " + key.name() + " has made its " + key.rpm() + " requests this minute"
                    + " (its rpm limit); retry after the wait in Retry-After", wait);
        }
        return l.running() == null ? () -> { } : l.running()::onComplete;
    }

    private static Optional<String> bearer(Context ctx) {
        String header = ctx.header(Header.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            throw unauthorized("the Authorization header must be Bearer <key>");
        }
        return Optional.of(header.substring(BEARER.length()).strip());
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, ErrorType.UNAUTHORIZED, message, null, null);
    }
}
