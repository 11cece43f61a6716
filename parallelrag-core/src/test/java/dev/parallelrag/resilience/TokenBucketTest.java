package dev.parallelrag.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void refillsContinuouslyAndAcceptsCorrections() throws Exception {
        AtomicLong now = new AtomicLong();
        TokenBucket b = new TokenBucket(6000, now::get);
        b.acquire(6000);
        assertThat(b.available()).isZero();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1)); // 100 tokens per second
        assertThat(b.available()).isEqualTo(100);
        b.adjust(-50); // the call used 50 fewer tokens than estimated
        assertThat(b.available()).isEqualTo(150);
        b.adjust(400); // ... or 400 more: the bucket goes into debt
        assertThat(b.available()).isEqualTo(-250);
    }

    @Test
    void anOversizedRequestPassesWhenTheBucketIsFull() throws Exception {
        TokenBucket b = new TokenBucket(100, () -> 0L);
        b.acquire(500);
        assertThat(b.available()).isEqualTo(-400);
    }
}
