package dev.parallelrag.resilience;

import dev.parallelrag.error.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable resilience settings of one client (one provider endpoint). Build with {@link #builder()};
 * {@link Builder#build()} validates every value and names the setting that is wrong.
 *
 * <p>Defaults (see {@code docs/providers.md}):
 * <ul>
 *   <li>{@code maxAttempts} 4 (one call plus up to 3 retries);</li>
 *   <li>{@code initialBackoff} 100 ms, {@code backoffMultiplier} 2.0, {@code maxBackoff} 5 s, with full
 *       jitter: the wait before retry n is uniform in [0, min(maxBackoff, initialBackoff * multiplier^(n-1))];</li>
 *   <li>{@code maxRetryAfter} 60 s: a {@code Retry-After} or {@code x-ratelimit-reset-*} header sets a
 *       minimum wait, honoured up to this cap;</li>
 *   <li>{@code attemptTimeout} unset: the model's own default applies (60 s for OpenAI, Anthropic, Groq, Gemini
 *       and xAI, 180 s for Ollama, 120 s for other endpoints and models; see {@link ResilienceDefaults}), so
 *       changing any other setting never drops a provider's timeout. Set it to override that default;</li>
 *   <li>{@code streamIdleTimeout} 60 s: the longest silence allowed between two events of a streamed answer,
 *       longer than the pauses healthy providers make (reasoning models think for tens of seconds between
 *       events), short enough that a stalled stream frees its slot within a minute;</li>
 *   <li>{@code streamDeadline} 10 min: the longest a whole streamed answer may take, enough for the largest
 *       answers at ordinary speeds (100,000 tokens at 200 tokens/s is about 8 min), so a stream that trickles
 *       forever still ends;</li>
 *   <li>{@code breakerFailureThreshold} 5 consecutive failed requests, {@code breakerOpenDuration} 60 s,
 *       {@code breakerHalfOpenProbes} 3;</li>
 *   <li>{@code outageWait} 3 min: how long a request that meets an open breaker waits for the provider to
 *       recover (for the open window to end and the half-open probes to close the breaker) before it fails
 *       with a {@link dev.parallelrag.error.CircuitOpenException}. Long enough to ride out one open window
 *       (60 s), a failed probe and a second window, so that a short outage ends in answers, not in a wall of
 *       {@code circuit_open}; zero fails fast, as an interactive caller with its own fallback may prefer;</li>
 *   <li>{@code failoverCooldown} 30 s: how long this client, as one candidate of a failover list (a primary
 *       with fallbacks, or a fallback), is passed over after a retryable failure when the provider says nothing
 *       ({@code Retry-After}, cut to {@code maxRetryAfter}, wins when it does). While it cools down, at most one
 *       probe request per window reaches it. Short enough that traffic returns to a preferred provider within
 *       half a minute of its recovery, long enough that a provider that is down sees about two requests a
 *       minute from each client; unused by a client without fallbacks that is not itself a fallback;</li>
 *   <li>{@code maxConcurrency} 64 requests in flight per client (the bulkhead), {@code adaptiveConcurrency}
 *       on (the in-flight limit halves on a 429 down to 1 and grows back by one after a window of successes);</li>
 *   <li>{@code requestsPerMinute} 0 and {@code tokensPerMinute} 0: both limiters off;</li>
 *   <li>{@code clock} the system UTC clock; tests inject their own to drive the breaker without sleeping.</li>
 * </ul>
 */
public record ResilienceConfig(
        int maxAttempts,
        Duration initialBackoff,
        double backoffMultiplier,
        Duration maxBackoff,
        Duration maxRetryAfter,
        Optional<Duration> attemptTimeout,
        Duration streamIdleTimeout,
        Duration streamDeadline,
        int breakerFailureThreshold,
        Duration breakerOpenDuration,
        int breakerHalfOpenProbes,
        Duration outageWait,
        Duration failoverCooldown,
        int maxConcurrency,
        boolean adaptiveConcurrency,
        int requestsPerMinute,
        long tokensPerMinute,
        Clock clock) {

    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);
    /** The attempt timeout of a model that declares none of its own (see {@link ResilienceDefaults}). */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_STREAM_DEADLINE = Duration.ofMinutes(10);
    public static final int DEFAULT_BREAKER_FAILURE_THRESHOLD = 5;
    public static final Duration DEFAULT_BREAKER_OPEN_DURATION = Duration.ofSeconds(60);
    public static final int DEFAULT_BREAKER_HALF_OPEN_PROBES = 3;
    public static final Duration DEFAULT_OUTAGE_WAIT = Duration.ofMinutes(3);
    public static final Duration DEFAULT_FAILOVER_COOLDOWN = Duration.ofSeconds(30);
    /** Longest {@code failoverCooldown}: longer would park a recovered provider for most of a day. */
    public static final Duration MAX_FAILOVER_COOLDOWN = Duration.ofHours(1);
    public static final int DEFAULT_MAX_CONCURRENCY = 64;

    public ResilienceConfig {
        range("maxAttempts", maxAttempts, 1, 20);
        positive("initialBackoff", initialBackoff);
        if (!(backoffMultiplier >= 1.0 && backoffMultiplier <= 10.0)) {
            throw new ValidationException("backoffMultiplier", backoffMultiplier, "must be between 1.0 and 10.0");
        }
        positive("maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new ValidationException("maxBackoff", maxBackoff, "must be at least initialBackoff (" + initialBackoff + ")");
        }
        notNegative("maxRetryAfter", maxRetryAfter);
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        attemptTimeout.ifPresent(t -> positive("attemptTimeout", t));
        positive("streamIdleTimeout", streamIdleTimeout);
        positive("streamDeadline", streamDeadline);
        range("breakerFailureThreshold", breakerFailureThreshold, 1, 1000);
        positive("breakerOpenDuration", breakerOpenDuration);
        range("breakerHalfOpenProbes", breakerHalfOpenProbes, 1, 1000);
        notNegative("outageWait", outageWait);
        positive("failoverCooldown", failoverCooldown);
        if (failoverCooldown.compareTo(MAX_FAILOVER_COOLDOWN) > 0) {
            throw new ValidationException("failoverCooldown", failoverCooldown, "must be at most " + MAX_FAILOVER_COOLDOWN
                    + "; a provider that recovered would be passed over that long");
        }
        range("maxConcurrency", maxConcurrency, 1, 100_000);
        if (requestsPerMinute < 0) {
            throw new ValidationException("requestsPerMinute", requestsPerMinute, "must be 0 (no limit) or positive");
        }
        if (tokensPerMinute < 0) {
            throw new ValidationException("tokensPerMinute", tokensPerMinute, "must be 0 (no limit) or positive");
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** All defaults; the attempt timeout is left to the model (see {@link ResilienceDefaults}). */
    public static ResilienceConfig defaults() {
        return builder().build();
    }

    /**
     * These settings with an unset attempt timeout replaced by {@code modelDefault}; a timeout set explicitly
     * stays. The clients call this once, so the effective value has a single owner: the client's executor.
     */
    public ResilienceConfig withDefaultAttemptTimeout(Duration modelDefault) {
        return attemptTimeout.isPresent() ? this : toBuilder().attemptTimeout(modelDefault).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxAttempts = maxAttempts;
        b.initialBackoff = initialBackoff;
        b.backoffMultiplier = backoffMultiplier;
        b.maxBackoff = maxBackoff;
        b.maxRetryAfter = maxRetryAfter;
        b.attemptTimeout = attemptTimeout.orElse(null);
        b.streamIdleTimeout = streamIdleTimeout;
        b.streamDeadline = streamDeadline;
        b.breakerFailureThreshold = breakerFailureThreshold;
        b.breakerOpenDuration = breakerOpenDuration;
        b.breakerHalfOpenProbes = breakerHalfOpenProbes;
        b.outageWait = outageWait;
        b.failoverCooldown = failoverCooldown;
        b.maxConcurrency = maxConcurrency;
        b.adaptiveConcurrency = adaptiveConcurrency;
        b.requestsPerMinute = requestsPerMinute;
        b.tokensPerMinute = tokensPerMinute;
        b.clock = clock;
        return b;
    }

    private static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ValidationException(field, value, "must be between " + min + " and " + max);
        }
    }

    private static void positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ValidationException(field, d, "must be a positive duration (e.g. Duration.ofSeconds(1))");
        }
    }

    private static void notNegative(String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw new ValidationException(field, d, "must be zero or a positive duration");
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private Duration attemptTimeout;
        private Duration streamIdleTimeout = DEFAULT_STREAM_IDLE_TIMEOUT;
        private Duration streamDeadline = DEFAULT_STREAM_DEADLINE;
        private int breakerFailureThreshold = DEFAULT_BREAKER_FAILURE_THRESHOLD;
        private Duration breakerOpenDuration = DEFAULT_BREAKER_OPEN_DURATION;
        private int breakerHalfOpenProbes = DEFAULT_BREAKER_HALF_OPEN_PROBES;
        private Duration outageWait = DEFAULT_OUTAGE_WAIT;
        private Duration failoverCooldown = DEFAULT_FAILOVER_COOLDOWN;
        private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
        private boolean adaptiveConcurrency = true;
        private int requestsPerMinute;
        private long tokensPerMinute;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Total attempts per request including the first (1 disables retries). */
        public Builder maxAttempts(int v) { this.maxAttempts = v; return this; }
        public Builder initialBackoff(Duration v) { this.initialBackoff = v; return this; }
        public Builder backoffMultiplier(double v) { this.backoffMultiplier = v; return this; }
        public Builder maxBackoff(Duration v) { this.maxBackoff = v; return this; }
        /** Longest {@code Retry-After} honoured; longer values are cut to this. Zero ignores the header. */
        public Builder maxRetryAfter(Duration v) { this.maxRetryAfter = v; return this; }
        /**
         * Longest one attempt may take: the whole response, or for a stream the wait for its first byte.
         * Unset (the default, or {@code null}) means the model's own default.
         */
        public Builder attemptTimeout(Duration v) {
            if (v != null) {
                positive("attemptTimeout", v);
            }
            this.attemptTimeout = v;
            return this;
        }
        /** Longest silence between two events of a stream, once it has started. */
        public Builder streamIdleTimeout(Duration v) { this.streamIdleTimeout = v; return this; }
        /** Longest a whole stream may take, from the request to its last event. */
        public Builder streamDeadline(Duration v) { this.streamDeadline = v; return this; }
        public Builder breakerFailureThreshold(int v) { this.breakerFailureThreshold = v; return this; }
        public Builder breakerOpenDuration(Duration v) { this.breakerOpenDuration = v; return this; }
        public Builder breakerHalfOpenProbes(int v) { this.breakerHalfOpenProbes = v; return this; }
        /**
         * Longest a request waits, on the wall clock, for an open breaker to let it through before it fails
         * with a {@code CircuitOpenException}; zero fails at once.
         */
        public Builder outageWait(Duration v) { this.outageWait = v; return this; }
        /**
         * How long this client, as a failover candidate, is passed over after a retryable failure when the provider
         * gives no {@code Retry-After}; one probe per window reaches it meanwhile. Positive, at most 1 hour.
         */
        public Builder failoverCooldown(Duration v) { this.failoverCooldown = v; return this; }
        public Builder maxConcurrency(int v) { this.maxConcurrency = v; return this; }
        public Builder adaptiveConcurrency(boolean v) { this.adaptiveConcurrency = v; return this; }
        /** 0 disables the limiter. */
        public Builder requestsPerMinute(int v) { this.requestsPerMinute = v; return this; }
        /** 0 disables the limiter. */
        public Builder tokensPerMinute(long v) { this.tokensPerMinute = v; return this; }
        public Builder clock(Clock v) { this.clock = v; return this; }

        public ResilienceConfig build() {
            return new ResilienceConfig(maxAttempts, initialBackoff, backoffMultiplier, maxBackoff, maxRetryAfter,
                    Optional.ofNullable(attemptTimeout), streamIdleTimeout, streamDeadline, breakerFailureThreshold, breakerOpenDuration, breakerHalfOpenProbes,
                    outageWait, failoverCooldown, maxConcurrency, adaptiveConcurrency, requestsPerMinute, tokensPerMinute, clock);
        }
    }
}
