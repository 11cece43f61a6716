package dev.parallelrag.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.resilience.AdaptiveConcurrencyLimiter.Permit;
import dev.parallelrag.resilience.AdaptiveConcurrencyLimiter.Signal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptiveConcurrencyLimiterTest {

    @Test
    void aBurstOf429sFromOneEpochHalvesTheLimitOnce() throws Exception {
        AdaptiveConcurrencyLimiter l = new AdaptiveConcurrencyLimiter(16, true);
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            permits.add(l.acquire());
        }
        permits.forEach(p -> l.release(p, Signal.RATE_LIMITED));
        assertThat(l.limit()).isEqualTo(8);
        assertThat(l.inFlight()).isZero();
    }

    @Test
    void halvesDownToOneAndGrowsBackByOneAfterAWindowOfSuccesses() throws Exception {
        AdaptiveConcurrencyLimiter l = new AdaptiveConcurrencyLimiter(4, true);
        for (int i = 0; i < 5; i++) {
            l.release(l.acquire(), Signal.RATE_LIMITED);
        }
        assertThat(l.limit()).isEqualTo(1);
        l.release(l.acquire(), Signal.SUCCESS);
        assertThat(l.limit()).isEqualTo(2);
        l.release(l.acquire(), Signal.SUCCESS);
        assertThat(l.limit()).isEqualTo(2);
        l.release(l.acquire(), Signal.SUCCESS);
        assertThat(l.limit()).isEqualTo(3);
        for (int i = 0; i < 100; i++) {
            l.release(l.acquire(), Signal.SUCCESS);
        }
        assertThat(l.limit()).isEqualTo(4);
    }

    @Test
    void fixedWhenAdaptiveIsOff() throws Exception {
        AdaptiveConcurrencyLimiter l = new AdaptiveConcurrencyLimiter(4, false);
        l.release(l.acquire(), Signal.RATE_LIMITED);
        assertThat(l.limit()).isEqualTo(4);
    }

    @Test
    void neverAdmitsMoreThanTheLimit() throws Exception {
        AdaptiveConcurrencyLimiter l = new AdaptiveConcurrencyLimiter(2, false);
        Permit a = l.acquire();
        Permit b = l.acquire();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                l.release(l.acquire(), Signal.SUCCESS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.join(200);
        assertThat(waiter.isAlive()).as("third acquire waits while two are in flight").isTrue();
        l.release(a, Signal.SUCCESS);
        waiter.join(5_000);
        assertThat(waiter.isAlive()).isFalse();
        l.release(b, Signal.SUCCESS);
        assertThat(l.inFlight()).isZero();
    }
}
