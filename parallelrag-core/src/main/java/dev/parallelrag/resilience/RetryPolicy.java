package dev.parallelrag.resilience;

import dev.parallelrag.Internal;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ProviderTimeoutException;
import dev.parallelrag.error.RateLimitedException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Which failures are retried and how long to wait before the next attempt.
 *
 * <p>Retried: timeouts, rate limits (429), and provider errors marked retryable (connection errors,
 * 408, 500, 502, 503, 504, 529). Everything else (400, 401, 403, 404, validation, malformed responses)
 * fails at once, because another try cannot fix it.
 *
 * <p>Wait before retry n (n = 1 for the first retry): full jitter, uniform in
 * [0, min(maxBackoff, initialBackoff * multiplier^(n-1))], raised to the provider's requested wait
 * ({@code Retry-After}) when there is one, which itself is cut to {@code maxRetryAfter}.
 */
@Internal
public final class RetryPolicy {

    private final ResilienceConfig config;
    private final DoubleSupplier random;

    public RetryPolicy(ResilienceConfig config) {
        this(config, () -> ThreadLocalRandom.current().nextDouble());
    }

    RetryPolicy(ResilienceConfig config, DoubleSupplier random) {
        this.config = config;
        this.random = random;
    }

    /** True when another attempt can fix this failure. */
    public static boolean isRetryable(Throwable t) {
        return (t instanceof ProviderTimeoutException timeout && timeout.retryable())
                || t instanceof RateLimitedException
                || (t instanceof ProviderException p && p.retryable());
    }

    /** The exponential ceiling for retry n (n >= 1) before jitter. */
    public Duration backoffCeiling(int retry) {
        double ms = config.initialBackoff().toMillis() * Math.pow(config.backoffMultiplier(), Math.max(0, retry - 1));
        return Duration.ofMillis((long) Math.min(ms, config.maxBackoff().toMillis()));
    }

    /** The wait before retry n (n >= 1) after the given failure, in milliseconds. */
    public long waitMillis(int retry, Throwable failure) {
        long jittered = (long) (random.getAsDouble() * backoffCeiling(retry).toMillis());
        long floor = honouredWait(failure, config.maxRetryAfter()).map(Duration::toMillis).orElse(0L);
        return Math.max(jittered, floor);
    }

    /**
     * The wait the provider asked for with this failure ({@code Retry-After}, {@code x-ratelimit-reset-*}), cut to
     * {@code maxRetryAfter}; empty when it asked for none or {@code maxRetryAfter} is zero (the header is ignored).
     */
    public static Optional<Duration> honouredWait(Throwable failure, Duration maxRetryAfter) {
        Optional<Duration> asked = failure instanceof RateLimitedException r ? r.retryAfter()
                : failure instanceof ProviderException p ? p.retryAfter() : Optional.empty();
        if (maxRetryAfter.isZero()) {
            return Optional.empty();
        }
        return asked.map(d -> d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d);
    }
}
