package dev.parallelrag.testkit;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.SplittableRandom;

/**
 * Decides which {@link Fault}, if any, hits each request. Plans are thread-safe and compose:
 *
 * <pre>{@code
 * FaultPlan.sequence(Fault.status(429).retryAfterSeconds(1), Fault.status(500))   // 1st and 2nd request, then none
 * FaultPlan.rate(0.2, 42, Fault.status(500), Fault.connectionReset())            // 20% of requests, seeded
 * FaultPlan.rate(0.2, 42, Fault.status(503)).maxPerBody(2)                       // transient: a body fails at most twice
 * FaultPlan.onMarker("FAIL-7", Fault.status(400))                                 // every request whose body contains FAIL-7
 * FaultPlan.sequence(Fault.status(500)).onlyPaths("/v1/embeddings")              // only requests to that path
 * FaultPlan.firstOf(markerPlan, ratePlan)                                         // first plan with a fault wins
 * FaultPlan.during(start, start.plusSeconds(30), Fault.status(503))              // an outage: 30 s of 503, then healthy
 * }</pre>
 *
 * Plans see every request that passed authentication, validation and rate limiting, in arrival order.
 */
public interface FaultPlan {

    /** The fault for this request ({@link Fault#none()} for none). */
    Fault next(RecordedRequest request);

    /** Forgets counters and re-seeds generators, so the plan behaves as new. Called by {@code server.reset()}. */
    default void reset() {
    }

    /** No faults. */
    static FaultPlan none() {
        return request -> Fault.none();
    }

    /** The n-th request gets the n-th fault; requests after the end of the list get none. */
    static FaultPlan sequence(Fault... faults) {
        return new Sequence(List.of(faults));
    }

    /** Each request gets a fault with probability {@code rate}, picked uniformly from {@code faults}; seeded. */
    static FaultPlan rate(double rate, long seed, Fault... faults) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("fault rate must be in 0.0..1.0, got " + rate);
        }
        if (faults.length == 0) {
            throw new IllegalArgumentException("fault rate plan needs at least one fault");
        }
        return new Rate(rate, seed, List.of(faults));
    }

    /** Every request whose body contains {@code marker} gets {@code fault}: a permanent failure for that item. */
    static FaultPlan onMarker(String marker, Fault fault) {
        if (marker == null || marker.isEmpty()) {
            throw new IllegalArgumentException("fault marker must be a non-empty string");
        }
        Objects.requireNonNull(fault, "fault");
        return request -> request.body().contains(marker) ? fault : Fault.none();
    }

    /**
     * {@code fault} for every request that arrives at or after {@code from} and before {@code until} (by
     * {@link RecordedRequest#received()}, the wall clock), none before and after: a provider that is down for a
     * window of time, whatever the number of requests, and then recovers.
     */
    static FaultPlan during(Instant from, Instant until, Fault fault) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(fault, "fault");
        if (until.isBefore(from)) {
            throw new IllegalArgumentException("outage window ends (" + until + ") before it starts (" + from + ")");
        }
        return request -> !request.received().isBefore(from) && request.received().isBefore(until) ? fault : Fault.none();
    }

    /** Asks each plan in order and returns the first fault; later plans are not consulted for that request. */
    static FaultPlan firstOf(FaultPlan... plans) {
        List<FaultPlan> list = List.of(plans);
        return new FaultPlan() {
            @Override
            public Fault next(RecordedRequest request) {
                for (FaultPlan p : list) {
                    Fault f = p.next(request);
                    if (!f.isNone()) {
                        return f;
                    }
                }
                return Fault.none();
            }

            @Override
            public void reset() {
                list.forEach(FaultPlan::reset);
            }
        };
    }

    /** This plan, applied only to requests whose path contains {@code pathPart}; others get no fault. */
    default FaultPlan onlyPaths(String pathPart) {
        FaultPlan self = this;
        return new FaultPlan() {
            @Override
            public Fault next(RecordedRequest request) {
                return request.path().contains(pathPart) ? self.next(request) : Fault.none();
            }

            @Override
            public void reset() {
                self.reset();
            }
        };
    }

    /**
     * This plan, but a given request body (by SHA-256) gets at most {@code maxFaults} faults, so a client that
     * retries at least that often always succeeds in the end: "transient" faults for exact-result tests.
     */
    default FaultPlan maxPerBody(int maxFaults) {
        if (maxFaults < 0) {
            throw new IllegalArgumentException("maxFaults must be >= 0, got " + maxFaults);
        }
        FaultPlan self = this;
        ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        return new FaultPlan() {
            @Override
            public Fault next(RecordedRequest request) {
                AtomicInteger count = counts.computeIfAbsent(
                        HexFormat.of().formatHex(FakeContent.sha256(request.body())), k -> new AtomicInteger());
                if (count.get() >= maxFaults) {
                    return Fault.none();
                }
                Fault f = self.next(request);
                if (!f.isNone()) {
                    count.incrementAndGet();
                }
                return f;
            }

            @Override
            public void reset() {
                counts.clear();
                self.reset();
            }
        };
    }

    /** See {@link #sequence(Fault...)}. */
    final class Sequence implements FaultPlan {
        private final List<Fault> faults;
        private final AtomicLong position = new AtomicLong();

        Sequence(List<Fault> faults) {
            this.faults = faults;
        }

        @Override
        public Fault next(RecordedRequest request) {
            long i = position.getAndIncrement();
            return i < faults.size() ? faults.get((int) i) : Fault.none();
        }

        @Override
        public void reset() {
            position.set(0);
        }
    }

    /** See {@link #rate(double, long, Fault...)}. */
    final class Rate implements FaultPlan {
        private final double rate;
        private final long seed;
        private final List<Fault> faults;
        private SplittableRandom random;

        Rate(double rate, long seed, List<Fault> faults) {
            this.rate = rate;
            this.seed = seed;
            this.faults = faults;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public synchronized Fault next(RecordedRequest request) {
            boolean hit = random.nextDouble() < rate;
            int pick = random.nextInt(faults.size());
            return hit ? faults.get(pick) : Fault.none();
        }

        @Override
        public synchronized void reset() {
            random = new SplittableRandom(seed);
        }
    }
}
