package dev.parallelrag.resilience;

import dev.parallelrag.Internal;
import dev.parallelrag.error.CircuitOpenException;
import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.RateLimitedException;
import dev.parallelrag.error.StoppedException;
import dev.parallelrag.health.ClientHealthPolicy;
import dev.parallelrag.health.RequestWindow;
import dev.parallelrag.stats.BreakerStats;
import dev.parallelrag.stats.ClientStats;
import dev.parallelrag.stats.StatsRecorder;
import dev.parallelrag.stats.TokenUsage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs requests to one endpoint with the full protection stack, outermost first:
 * <ol>
 *   <li>circuit breaker (Resilience4j): counts a request once, after its retries are used up, and only
 *       when the failure is one a retry could have fixed (5xx, timeouts, connection errors, 429);
 *       5 such failures in a row open it; while open, a call waits (up to {@code outageWait}) for the open
 *       window to end and the breaker to let it through, then fails with {@link CircuitOpenException}; a
 *       request whose retries run out during an outage (the breaker opens around it) waits the same way and
 *       goes again, so an outage shorter than {@code outageWait} fails nothing;
 *       after the open duration a few probes go through; any probe failure reopens it, and it closes when
 *       all probes succeed;</li>
 *   <li>retry (Resilience4j) with {@link RetryPolicy}: exponential backoff with full jitter, honouring
 *       {@code Retry-After};</li>
 *   <li>per attempt: the requests-per-minute limiter (Resilience4j), the tokens-per-minute
 *       {@link TokenBucket}, and the {@link AdaptiveConcurrencyLimiter} bulkhead; the attempt runs with the
 *       effective timeouts published as {@link AttemptTimeouts#current()}, for the model to enforce.</li>
 * </ol>
 * Every request is recorded in the {@link StatsRecorder}: circuit-open rejections count as failures too. Requests
 * also go into the {@link RequestWindow} that health judges, except the failures of isolation probes (the requests
 * a client makes to find the bad text of a rejected batch).
 * Logs one DEBUG line per retry and one WARN line per breaker transition; messages never hold API keys
 * because our exceptions never carry them.
 */
@Internal
public final class ResilientExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ResilientExecutor.class);
    /** How often a call waiting on a half-open breaker looks again: probes take about one request's time. */
    private static final Duration PROBE_POLL = Duration.ofMillis(50);

    /** One attempt; {@code attempt} counts from 1. */
    @FunctionalInterface
    public interface Attempt<T> {
        T call(int attempt) throws Exception;
    }

    /** A successful request: the value, attempts used and end-to-end latency. */
    public record Attempted<T>(T value, int attempts, Duration latency) {
    }

    private final String endpoint;
    private final ResilienceConfig config;
    private final StatsRecorder stats;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final RateLimiter requestLimiter;
    private final TokenBucket tokenLimiter;
    private final AdaptiveConcurrencyLimiter concurrency;
    private final AttemptTimeouts timeouts;
    private final RequestWindow window;
    private final AtomicLong transitions = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();
    /** Requests in flight that kept failing while others were answered: no witnesses of an outage (see the verdict). */
    private final AtomicInteger failingOnTheirOwn = new AtomicInteger();
    private final AtomicReference<Instant> openedAt = new AtomicReference<>(Instant.EPOCH);

    /**
     * @param config the settings; an unset attempt timeout becomes {@link ResilienceConfig#DEFAULT_ATTEMPT_TIMEOUT}
     *               (clients resolve it against their model's default before)
     */
    public ResilientExecutor(String endpoint, ResilienceConfig config, StatsRecorder stats) {
        this(endpoint, config, stats, ClientHealthPolicy.DEFAULT);
    }

    /** @param health the window length and thresholds of the requests health judges (read on the config's clock) */
    public ResilientExecutor(String endpoint, ResilienceConfig config, StatsRecorder stats, ClientHealthPolicy health) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.config = Objects.requireNonNull(config, "config")
                .withDefaultAttemptTimeout(ResilienceConfig.DEFAULT_ATTEMPT_TIMEOUT);
        this.timeouts = AttemptTimeouts.of(this.config, ResilienceConfig.DEFAULT_ATTEMPT_TIMEOUT);
        this.stats = Objects.requireNonNull(stats, "stats");
        this.breaker = newBreaker();
        this.retry = newRetry();
        this.requestLimiter = newRequestLimiter();
        this.tokenLimiter = config.tokensPerMinute() > 0 ? new TokenBucket(config.tokensPerMinute()) : null;
        this.concurrency = new AdaptiveConcurrencyLimiter(config.maxConcurrency(), config.adaptiveConcurrency());
        this.window = new RequestWindow(health, this.config.clock());
    }

    private CircuitBreaker newBreaker() {
        int n = config.breakerFailureThreshold();
        // A count window of n calls that opens at 100 % failures opens exactly after n consecutive failures.
        CircuitBreakerConfig cbc = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(n)
                .minimumNumberOfCalls(n)
                .failureRateThreshold(100)
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(365)) // slowness is the timeouts' job, not the breaker's
                .waitDurationInOpenState(config.breakerOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(config.breakerHalfOpenProbes())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(RetryPolicy::isRetryable)
                .clock(config.clock())
                .build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(cbc);
        // the conventions' attributes ride on Resilience4j's breaker meters too, so alerts can join them to the client's
        CircuitBreaker cb = registry.circuitBreaker(endpoint, stats.attributes());
        cb.getEventPublisher().onStateTransition(e -> {
            transitions.incrementAndGet();
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt.set(config.clock().instant());
            }
            LOG.warn("circuit breaker {}: {} -> {}", endpoint, e.getStateTransition().getFromState(),
                    e.getStateTransition().getToState());
        });
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(stats.registry());
        return cb;
    }

    private Retry newRetry() {
        RetryPolicy policy = new RetryPolicy(config);
        RetryConfig rc = RetryConfig.custom()
                .maxAttempts(config.maxAttempts())
                .retryOnException(RetryPolicy::isRetryable)
                .intervalBiFunction((Integer retryNo, io.github.resilience4j.core.functions.Either<Throwable, Object> r) ->
                        policy.waitMillis(retryNo, r.isLeft() ? r.getLeft() : null))
                .failAfterMaxAttempts(false)
                .build();
        RetryRegistry registry = RetryRegistry.of(rc);
        Retry r = registry.retry(endpoint);
        r.getEventPublisher().onRetry(e -> {
            stats.retry();
            Throwable t = e.getLastThrowable();
            LOG.debug("retrying {} (retry {} of {}) in {} ms after {}: {}", endpoint, e.getNumberOfRetryAttempts(),
                    config.maxAttempts() - 1, e.getWaitInterval().toMillis(), kindOf(t).wireName(),
                    t == null ? "" : t.getMessage());
        });
        TaggedRetryMetrics.ofRetryRegistry(registry).bindTo(stats.registry());
        return r;
    }

    private RateLimiter newRequestLimiter() {
        if (config.requestsPerMinute() <= 0) {
            return null;
        }
        // One permit per 60 s / rpm spreads requests evenly instead of bursting a minute's worth at once,
        // which is what provider-side sliding windows reward.
        RateLimiterConfig rlc = RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(TimeUnit.MINUTES.toNanos(1) / config.requestsPerMinute()))
                .timeoutDuration(Duration.ofMinutes(10))
                .build();
        RateLimiterRegistry registry = RateLimiterRegistry.of(rlc);
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(registry).bindTo(stats.registry());
        return registry.rateLimiter(endpoint);
    }

    /**
     * Runs one request. {@code estimatedTokens} is charged to the tokens-per-minute limiter before each
     * attempt and corrected with {@code usage} afterwards.
     *
     * @throws ParallelRagException the typed failure after retries, or a {@link CircuitOpenException}
     */
    public <T> Attempted<T> execute(long estimatedTokens, Attempt<T> attempt, Function<? super T, TokenUsage> usage)
            throws Exception {
        return execute(estimatedTokens, attempt, usage, false);
    }

    /**
     * As {@link #execute(long, Attempt, Function)}. An {@code isolationProbe} is a request a client makes to find
     * out something about its input, like a half of a rejected batch: its failure is about the input, so it stays
     * out of the health window (its success counts there, since the provider answered). The stats count both.
     */
    public <T> Attempted<T> execute(long estimatedTokens, Attempt<T> attempt, Function<? super T, TokenUsage> usage,
                                    boolean isolationProbe) throws Exception {
        long start = System.nanoTime();
        stats.requestStarted();
        boolean onItsOwn = false;
        try {
            AtomicInteger attempts = new AtomicInteger();
            T value;
            boolean wentAgainAfterRecovery = false;
            long transitionsAtStart = transitions.get();
            // answers to others since the last attempt began: those from before it say nothing about the provider now
            AtomicLong successesAtLastAttempt = new AtomicLong();
            // answers to others when its first attempt failed: more before its last attempt mean it failed on its own
            AtomicLong successesAtFirstFailure = new AtomicLong(-1);
            while (true) {
                awaitPermission(start);
                try {
                    value = retry.executeCallable(() -> {
                        successesAtLastAttempt.set(successes.get());
                        try {
                            return runAttempt(attempts.incrementAndGet(), estimatedTokens, attempt);
                        } catch (Exception failed) {
                            successesAtFirstFailure.compareAndSet(-1, successes.get());
                            throw failed;
                        }
                    });
                    break;
                } catch (Exception e) {
                    onBreakerError(System.nanoTime() - start, e);
                    long atFirstFailure = successesAtFirstFailure.get();
                    if (!onItsOwn && atFirstFailure >= 0 && successesAtLastAttempt.get() > atFirstFailure) {
                        onItsOwn = true;
                        failingOnTheirOwn.incrementAndGet();
                    }
                    Verdict verdict = RetryPolicy.isRetryable(e)
                            ? outageVerdict(e, start, successesAtLastAttempt.get(), transitionsAtStart, onItsOwn)
                            : Verdict.FAIL;
                    if (verdict == Verdict.FAIL || (verdict == Verdict.PROVIDER_ANSWERS && wentAgainAfterRecovery)) {
                        throw e;
                    }
                    // once per recovery: an outage met after going again makes the next answers a new recovery
                    wentAgainAfterRecovery = verdict == Verdict.PROVIDER_ANSWERS;
                    LOG.debug("{}: retries used up during an outage; going again once the provider answers", endpoint);
                }
            }
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return succeeded(start, value, attempts.get(), estimatedTokens, usage);
        } catch (Exception e) {
            stats.failure(kindOf(e), System.nanoTime() - start);
            if (!isolationProbe && !callerStopped(e)) { // the caller stopping is not a fault of the provider
                window.failure(e);
            }
            throw e;
        } finally {
            if (onItsOwn) {
                failingOnTheirOwn.decrementAndGet();
            }
            stats.requestFinished();
        }
    }

    /**
     * One attempt and nothing more: no retry, no wait for an open breaker. This is what each candidate of a failover
     * list gets per pass, because moving on to the next candidate is the retry. The limiters, the bulkhead and the
     * timeouts apply as to any attempt, and the request is recorded in the stats like any other. The breaker is
     * asked (an open one fails the call at once with a {@link CircuitOpenException}, so that a breaker opened by
     * direct use of this client moves the request on) but not fed: the failover's cooldown of this client takes its
     * place, and feeding both would keep traffic away for the longer of the two after the provider is back.
     */
    public <T> Attempted<T> attemptOnce(long estimatedTokens, Attempt<T> attempt, Function<? super T, TokenUsage> usage)
            throws Exception {
        return attemptOnce(estimatedTokens, attempt, usage, false);
    }

    /** As {@link #attemptOnce(long, Attempt, Function)}; an {@code isolationProbe}'s failure stays out of the health window. */
    public <T> Attempted<T> attemptOnce(long estimatedTokens, Attempt<T> attempt, Function<? super T, TokenUsage> usage,
                                        boolean isolationProbe) throws Exception {
        long start = System.nanoTime();
        stats.requestStarted();
        try {
            if (!breaker.tryAcquirePermission()) {
                throw new CircuitOpenException(endpoint, openLeft(), Duration.ZERO);
            }
            T value;
            try {
                value = runAttempt(1, estimatedTokens, attempt);
            } finally {
                breaker.releasePermission();
            }
            return succeeded(start, value, 1, estimatedTokens, usage);
        } catch (Exception e) {
            stats.failure(kindOf(e), System.nanoTime() - start);
            if (!isolationProbe && !callerStopped(e)) {
                window.failure(e);
            }
            throw e;
        } finally {
            stats.requestFinished();
        }
    }

    /**
     * True for a request its caller ended: an interrupt, a cancelled wait, or a {@link StoppedException} (a stream
     * whose reader stopped it, as a server does when its client went away). The provider did nothing wrong.
     */
    static boolean callerStopped(Exception e) {
        return e instanceof InterruptedException || e instanceof CancellationException || e instanceof StoppedException;
    }

    private <T> Attempted<T> succeeded(long start, T value, int attempts, long estimatedTokens,
                                       Function<? super T, TokenUsage> usage) {
        successes.incrementAndGet();
        long elapsed = System.nanoTime() - start;
        TokenUsage used = value == null ? TokenUsage.NONE : usage.apply(value);
        if (tokenLimiter != null && used.totalTokens() > 0) {
            tokenLimiter.adjust(used.totalTokens() - estimatedTokens);
        }
        stats.success(elapsed, used);
        window.success(elapsed);
        return new Attempted<>(value, attempts, Duration.ofNanos(elapsed));
    }

    private <T> T runAttempt(int n, long estimatedTokens, Attempt<T> attempt) throws Exception {
        if (requestLimiter != null && !requestLimiter.acquirePermission()) {
            throw new RateLimitedException("local requests-per-minute limit (" + config.requestsPerMinute()
                    + ") could not grant a slot within 10 minutes; lower the load or raise requestsPerMinute", null);
        }
        if (tokenLimiter != null) {
            tokenLimiter.acquire(estimatedTokens);
        }
        AdaptiveConcurrencyLimiter.Permit permit = concurrency.acquire();
        AdaptiveConcurrencyLimiter.Signal signal = AdaptiveConcurrencyLimiter.Signal.OTHER_FAILURE;
        long t0 = System.nanoTime();
        try {
            T value = timeouts.run(() -> attempt.call(n));
            signal = AdaptiveConcurrencyLimiter.Signal.SUCCESS;
            return value;
        } catch (RateLimitedException e) {
            signal = AdaptiveConcurrencyLimiter.Signal.RATE_LIMITED;
            throw e;
        } finally {
            stats.attempt(System.nanoTime() - t0);
            concurrency.release(permit, signal);
        }
    }

    private void onBreakerError(long elapsedNanos, Exception e) {
        boolean recorded = RetryPolicy.isRetryable(e);
        CircuitBreaker.State before = breaker.getState();
        breaker.onError(elapsedNanos, TimeUnit.NANOSECONDS, e);
        // Resilience4j judges half-open probes by failure rate; we want any failed probe to reopen at once.
        if (recorded && before == CircuitBreaker.State.HALF_OPEN && breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            try {
                breaker.transitionToOpenState();
            } catch (RuntimeException raced) {
                // another probe already moved the breaker; its transition stands
            }
        }
    }

    /**
     * Waits for the breaker to let this call through: past the open window, while the half-open probes run,
     * until it closes. The open window is judged on the configured clock, the wait itself on the wall clock
     * (a test clock that stands still makes a call wait its whole {@code outageWait}).
     */
    private void awaitPermission(long startNanos) throws InterruptedException, CircuitOpenException {
        if (breaker.tryAcquirePermission()) {
            return;
        }
        long deadline = startNanos + config.outageWait().toNanos();
        while (true) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw circuitOpen();
            }
            long untilHalfOpen = Math.max(openLeft().toNanos(), PROBE_POLL.toNanos()); // half-open: probes are running
            Thread.sleep(Duration.ofNanos(Math.min(untilHalfOpen, deadline - now)));
            if (breaker.tryAcquirePermission()) {
                return;
            }
        }
    }

    /** What a request whose retries ran out on a retryable failure does next. */
    private enum Verdict {
        /** The failure stands. */
        FAIL,
        /** The provider is down for everyone (the breaker opened, or every request in flight fails): wait, go again. */
        OUTAGE,
        /**
         * The provider is back from an outage that this request met: others got answers, and the breaker opened
         * since the request began, or the answers came after this request failed and none while its last attempt ran.
         * It goes again once; failing again while others are answered, it fails (the failure is its own).
         */
        PROVIDER_ANSWERS
    }

    /**
     * After a request used up its retries on a retryable failure: is the provider down for everyone? The breaker
     * opens only after several failed requests, so the first victims of an outage give it up to one maximum
     * backoff to decide while other requests are in flight. Answers to others while the request's last attempt
     * ran mean the provider works: the failure is the request's own, unless the breaker opened while it ran (see
     * the verdicts). Answers from before its last attempt do not count: an outage that began during the request
     * came after them. Answers that come after it failed, when none came while its last attempt ran, mean the
     * provider is back from an outage too short, or met by too few requests, to open the breaker: it goes again once
     * (found by the fault suite: two requests met a 10 s outage, the breaker never opened, and the one that used up
     * its second round just before the provider came back failed its 64 documents). A request that fails on its own
     * pays one more round of retries for this, no more.
     * A request alone in flight waits the same time for another to tell (a batch whose requests
     * follow one another, as an ingest's often do, has the next one on its way). Still alone then, it is its own
     * witness only when the provider has answered this client before and its failure says the provider is
     * unavailable (see {@link #saysUnavailable}): then it waits and goes again, as in an outage, up to
     * {@code outageWait}; otherwise it fails (a provider that never answered is more likely a wrong base URL, and a
     * 500 may be about the input), so an {@code ask} against a dead endpoint still fails in seconds. Other
     * requests in flight that kept failing while the provider answered others (answers came between their first
     * failed attempt and their last) do not tell of an outage: they are failing on their own, like inputs the
     * provider rejects with a 500 each time, and counting them would let a few such requests hold each other up
     * until their deadline. One past its deadline fails at once.
     *
     * @param failure  the failure its last attempt ended with
     * @param onItsOwn whether this request is one of those (it does not count itself out twice)
     */
    private Verdict outageVerdict(Exception failure, long startNanos, long successesBefore, long transitionsAtStart,
                                  boolean onItsOwn) throws InterruptedException {
        long deadline = startNanos + config.outageWait().toNanos();
        if (config.outageWait().isZero() || System.nanoTime() - deadline >= 0) {
            return Verdict.FAIL;
        }
        long successesAtFailure = successes.get();
        boolean answeredWhileItRan = successesAtFailure != successesBefore;
        long verdictBy = Math.min(System.nanoTime() + config.maxBackoff().toNanos(), deadline);
        while (true) {
            if (breaker.getState() != CircuitBreaker.State.CLOSED) {
                return Verdict.OUTAGE;
            }
            boolean breakerMoved = transitions.get() != transitionsAtStart;
            if (answeredWhileItRan) { // without an outage around it, the failure is its own
                return breakerMoved ? Verdict.PROVIDER_ANSWERS : Verdict.FAIL;
            }
            if (successes.get() != successesAtFailure) { // answered since it failed, not while it ran: back from an outage
                return Verdict.PROVIDER_ANSWERS;
            }
            long left = verdictBy - System.nanoTime();
            if (left <= 0) {
                // every request in flight failing, none answered: its next failure counts towards the breaker; alone
                // all the while, or only with others failing on their own, nothing told it apart from its own failure
                long witnesses = stats.inFlight() - 1 - (failingOnTheirOwn.get() - (onItsOwn ? 1 : 0));
                boolean ownWitness = !onItsOwn && successes.get() > 0 && saysUnavailable(failure);
                return witnesses > 0 || ownWitness ? Verdict.OUTAGE : Verdict.FAIL;
            }
            Thread.sleep(Duration.ofNanos(Math.min(left, PROBE_POLL.toNanos())));
        }
    }

    /**
     * Whether a failure says the provider as a whole is unavailable rather than unable to serve this request: a 429,
     * a 502/503/504, or a connection lost or refused before any response. A 500 and a timeout are left out: some
     * inputs get a 500 every time, and a batch too large for the timeout times out every time.
     */
    static boolean saysUnavailable(Throwable failure) {
        return failure instanceof RateLimitedException
                || (failure instanceof ProviderException p
                        && (p.status() == 0 || p.status() == 502 || p.status() == 503 || p.status() == 504));
    }

    private Duration openLeft() {
        Duration left = Duration.between(config.clock().instant(), openedAt.get().plus(config.breakerOpenDuration()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private CircuitOpenException circuitOpen() {
        return new CircuitOpenException(endpoint, openLeft(), config.outageWait());
    }

    /** The error kind used in stats for any throwable (untyped exceptions are {@code other}). */
    public static ErrorKind kindOf(Throwable t) {
        return t instanceof ParallelRagException p ? p.kind() : ErrorKind.OTHER;
    }

    public String endpoint() {
        return endpoint;
    }

    /** The effective settings: every value resolved, the attempt timeout included. */
    public ResilienceConfig config() {
        return config;
    }

    /** The timeouts published to the model for each attempt (see {@link AttemptTimeouts}). */
    public AttemptTimeouts timeouts() {
        return timeouts;
    }

    /** The Resilience4j breaker (read its state; tests and operators may also force transitions). */
    public CircuitBreaker breaker() {
        return breaker;
    }

    public AdaptiveConcurrencyLimiter concurrencyLimiter() {
        return concurrency;
    }

    public ClientStats stats() {
        return stats.snapshot(breakerStats(), concurrency.limit());
    }

    /** The breaker's state and transitions. */
    public BreakerStats breakerStats() {
        return new BreakerStats(breaker.getState().name(), transitions.get());
    }

    /** The recent requests that health judges (not cleared by {@link #resetStats()}). */
    public RequestWindow window() {
        return window;
    }

    /** Clears request counters; the breaker, its transition count and the concurrency limit stay. */
    public void resetStats() {
        stats.reset();
    }

    public StatsRecorder recorder() {
        return stats;
    }
}
