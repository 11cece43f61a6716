package dev.parallelrag.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.error.AuthenticationException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ProviderTimeoutException;
import dev.parallelrag.error.RateLimitedException;
import dev.parallelrag.error.ValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final ResilienceConfig config = ResilienceConfig.defaults();

    @Test
    void backoffCeilingDoublesFrom100msAndIsCappedAt5s() {
        RetryPolicy p = new RetryPolicy(config);
        assertThat(p.backoffCeiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoffCeiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoffCeiling(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.backoffCeiling(10)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void fullJitterSpansZeroToTheCeiling() {
        assertThat(new RetryPolicy(config, () -> 0.0).waitMillis(3, new ProviderException("x", 503, null, true))).isZero();
        assertThat(new RetryPolicy(config, () -> 0.999).waitMillis(3, new ProviderException("x", 503, null, true)))
                .isBetween(390L, 400L);
    }

    @Test
    void retryAfterIsAFloorCutToTheCap() {
        RetryPolicy p = new RetryPolicy(config, () -> 0.0);
        assertThat(p.waitMillis(1, new RateLimitedException("429", Duration.ofSeconds(2)))).isEqualTo(2000);
        assertThat(p.waitMillis(1, new RateLimitedException("429", Duration.ofHours(1)))).isEqualTo(60_000);
        RetryPolicy small = new RetryPolicy(config.toBuilder().maxRetryAfter(Duration.ofMillis(300)).build(), () -> 0.0);
        assertThat(small.waitMillis(1, new RateLimitedException("429", Duration.ofSeconds(2)))).isEqualTo(300);
    }

    @Test
    void onlyFailuresAnotherTryCanFixAreRetryable() {
        assertThat(RetryPolicy.isRetryable(new ProviderTimeoutException("t", Duration.ofSeconds(1), null))).isTrue();
        assertThat(RetryPolicy.isRetryable(new RateLimitedException("r", null))).isTrue();
        assertThat(RetryPolicy.isRetryable(new ProviderException("s", 503, null, true))).isTrue();
        assertThat(RetryPolicy.isRetryable(new ProviderException("s", 400, null, false))).isFalse();
        assertThat(RetryPolicy.isRetryable(new AuthenticationException("openai", 401, "a"))).isFalse();
        assertThat(RetryPolicy.isRetryable(new ValidationException("f", 1, "r"))).isFalse();
        assertThat(RetryPolicy.isRetryable(new IllegalStateException())).isFalse();
    }
}
