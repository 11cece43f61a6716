package dev.parallelrag.resilience;

import dev.parallelrag.Internal;
import dev.parallelrag.error.CircuitOpenException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends each request to the first candidate of an ordered list (a primary, then its fallbacks) that can take it,
 * and moves it on to the next one when a candidate fails in a way another endpoint can fix.
 *
 * <ul>
 *   <li><b>What moves a request on:</b> a retryable failure ({@link RetryPolicy#isRetryable}: 429, 5xx, timeouts,
 *       connection errors) or an open breaker ({@link CircuitOpenException}). Anything else (400, 401, 403, 404,
 *       validation, a stream that broke after text was delivered) is the request's own: it fails at once, because
 *       another candidate would be asked the same wrong thing.</li>
 *   <li><b>Cooldown:</b> a candidate that fails that way is passed over for the wait its provider asked for
 *       ({@code Retry-After}, cut to the candidate's {@code maxRetryAfter}) counted from the failure, else for its
 *       {@code failoverCooldown} counted from the failure (from the probe's start for a failed probe, so that a
 *       window is one cooldown long however long the probe took); an open breaker for the time until it lets probes
 *       through.</li>
 *   <li><b>Probes:</b> once a cooldown has run out, exactly one request (the probe) goes to the candidate; the
 *       others keep passing it over until the probe is answered. A probe that succeeds (or gets an answer that is
 *       the request's own fault) ends the cooldown and traffic returns to the candidate in list order; a probe that
 *       fails starts the next window. So at most one request per cooldown window reaches a cooling candidate.</li>
 *   <li><b>Everyone cooling:</b> a request that finds no candidate to try waits for the earliest one to come out of
 *       its cooldown (or for a running probe to be answered), up to {@code outageWait} after it began; then it fails
 *       with the last failure it met, or a {@link CircuitOpenException} when it met none.</li>
 * </ul>
 * Counts are kept by the {@link Listener}: a request served by a candidate other than the first is one failover
 * from the first to the one that served it. Thread-safe; the state is one small monitor per candidate.
 *
 * @param <C> what a candidate is (the client whose one attempt is made)
 */
@Internal
public final class Failover<C> {

    /** How often a request that waits for a running probe looks again: a probe takes about one request's time. */
    private static final Duration PROBE_POLL = Duration.ofMillis(50);
    /** The shortest cooldown after an open breaker that is already letting its probes through. */
    private static final Duration MIN_COOLDOWN = Duration.ofMillis(100);

    /**
     * One endpoint of the list.
     *
     * @param name          how answers, stats and meters name it, e.g. {@code openai:gpt-4o-mini}
     * @param client        what {@link Call} is given
     * @param cooldown      how long it is passed over after a failure that says no wait of its own
     * @param maxRetryAfter the longest {@code Retry-After} honoured as its cooldown (zero: the header is ignored)
     */
    public record Candidate<C>(String name, C client, Duration cooldown, Duration maxRetryAfter) {
        public Candidate {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(cooldown, "cooldown");
            Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        }
    }

    /** One attempt at one candidate. */
    @FunctionalInterface
    public interface Call<C, T> {
        T call(C candidate) throws Exception;
    }

    /** Told of each request that a candidate other than the first served. */
    @FunctionalInterface
    public interface Listener {
        void failedOver(String from, String to);
    }

    private final List<Slot<C>> slots;
    private final Duration outageWait;
    private final Listener listener;

    /**
     * @param candidates the list in order of preference, at least one
     * @param outageWait the longest a request waits while every candidate cools down (zero: it fails at once)
     */
    public Failover(List<Candidate<C>> candidates, Duration outageWait, Listener listener) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a failover needs at least one candidate");
        }
        List<Slot<C>> s = new ArrayList<>(candidates.size());
        for (Candidate<C> c : candidates) {
            s.add(new Slot<>(c));
        }
        this.slots = List.copyOf(s);
        this.outageWait = Objects.requireNonNull(outageWait, "outageWait");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The candidates' names, in order of preference. */
    public List<String> names() {
        return slots.stream().map(s -> s.candidate.name()).toList();
    }

    /**
     * Runs one request: the first candidate that may take it, the next on a failure another candidate can fix,
     * waiting while all of them cool down (see the class comment). The answer counts one attempt per candidate call.
     *
     * @throws Exception the request's own failure, or the last failure once {@code outageWait} has passed
     */
    public <T> Served<T> execute(Call<C, T> call) throws Exception {
        long start = System.nanoTime();
        long deadline = start + outageWait.toNanos();
        Exception last = null;
        int calls = 0;
        while (true) {
            for (int i = 0; i < slots.size(); i++) {
                Slot<C> slot = slots.get(i);
                Access access = slot.enter(System.nanoTime());
                if (access == Access.PASS_OVER) {
                    continue;
                }
                calls++;
                try {
                    T value = call.call(slot.candidate.client());
                    slot.answered(access);
                    if (i > 0) {
                        listener.failedOver(slots.get(0).candidate.name(), slot.candidate.name());
                    }
                    return new Served<>(value, calls, Duration.ofNanos(System.nanoTime() - start), slot.candidate.name());
                } catch (Exception e) {
                    if (!movesOn(e)) {
                        slot.answered(access); // the candidate is up: the failure is the request's own
                        throw e;
                    }
                    slot.failed(access, System.nanoTime(), askedWait(slot.candidate, e));
                    last = e;
                }
            }
            long now = System.nanoTime();
            long ready = Long.MAX_VALUE;
            for (Slot<C> slot : slots) {
                long at = slot.readyAt(now);
                ready = ready == Long.MAX_VALUE || at - ready < 0 ? at : ready;
            }
            if (outageWait.isZero() || ready - deadline > 0) {
                throw last != null ? last : everyoneCooling(ready - now);
            }
            long sleep = ready - now;
            if (sleep > 0) {
                Thread.sleep(Duration.ofNanos(sleep));
            }
        }
    }

    /** True for failures another candidate can fix. */
    static boolean movesOn(Throwable e) {
        return RetryPolicy.isRetryable(e) || e instanceof CircuitOpenException;
    }

    /** The wait the failure itself asks for: its provider's {@code Retry-After}, or an open breaker's time left. */
    private static Optional<Duration> askedWait(Candidate<?> candidate, Exception e) {
        if (e instanceof CircuitOpenException open) {
            return Optional.of(open.retryAfter().compareTo(MIN_COOLDOWN) > 0 ? open.retryAfter() : MIN_COOLDOWN);
        }
        return RetryPolicy.honouredWait(e, candidate.maxRetryAfter());
    }

    private CircuitOpenException everyoneCooling(long readyInNanos) {
        return new CircuitOpenException("every candidate (" + String.join(", ", names()) + ")",
                Duration.ofNanos(Math.max(0, readyInNanos)), outageWait);
    }

    /** What a request may do with a candidate. */
    private enum Access {
        /** Not cooling: any number of requests go. */
        NORMAL,
        /** The one request let through since the cooldown ran out. */
        PROBE,
        /** Cooling, or its probe is running: try the next one. */
        PASS_OVER
    }

    /** One candidate's cooldown state. */
    private static final class Slot<C> {
        final Candidate<C> candidate;
        private boolean cooling;
        private long coolingUntil; // System.nanoTime() based, meaningful while cooling
        private boolean probing;
        private long probeStarted;

        Slot(Candidate<C> candidate) {
            this.candidate = candidate;
        }

        synchronized boolean cooling() {
            return cooling;
        }

        synchronized Access enter(long now) {
            if (!cooling) {
                return Access.NORMAL;
            }
            if (probing || now - coolingUntil < 0) {
                return Access.PASS_OVER;
            }
            probing = true;
            probeStarted = now;
            return Access.PROBE;
        }

        /** The candidate answered (a success, or a failure that is the request's own). */
        synchronized void answered(Access access) {
            if (access == Access.PROBE) {
                probing = false;
                cooling = false;
            }
        }

        /**
         * A failure another candidate can fix, with the wait it asked for, if any. Requests that were already in
         * flight when the cooldown began extend it; only a probe starts the next window once it has run out.
         */
        synchronized void failed(Access access, long now, Optional<Duration> asked) {
            long base = access == Access.PROBE && asked.isEmpty() ? probeStarted : now;
            long until = base + asked.orElse(candidate.cooldown()).toNanos();
            if (until - now < 0) {
                until = now; // the probe took longer than a window: the next window begins now
            }
            if (!cooling || until - coolingUntil > 0) {
                coolingUntil = until;
            }
            cooling = true;
            if (access == Access.PROBE) {
                probing = false;
            }
        }

        /** When a request may next find something to do here (now when it can go at once). */
        synchronized long readyAt(long now) {
            if (!cooling) {
                return now;
            }
            if (probing) {
                return now + PROBE_POLL.toNanos();
            }
            return now - coolingUntil >= 0 ? now : coolingUntil;
        }
    }
}
