package dev.parallelrag.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.error.AuthenticationException;
import dev.parallelrag.error.CircuitOpenException;
import dev.parallelrag.error.ProviderException;
import dev.parallelrag.error.ProviderTimeoutException;
import dev.parallelrag.error.RateLimitedException;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The window health judges: old requests age out bucket by bucket, and caller errors are kept apart. */
class RequestWindowTest {

    private final MutableClock clock = new MutableClock();
    private final RequestWindow window = new RequestWindow(ClientHealthPolicy.builder().window(Duration.ofSeconds(30)).build(), clock);

    @Test
    void requestsAgeOutOnceTheirBucketIsOlderThanTheWindow() {
        window.failure(new ProviderException("down", 503, null, true));
        clock.advance(Duration.ofSeconds(20));
        window.success(1_000);
        assertThat(window.counts().failures()).isEqualTo(1);
        assertThat(window.counts().successes()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(11)); // the failure is 31 s old, the success 11 s
        assertThat(window.counts().failures()).isZero();
        assertThat(window.counts().successes()).isEqualTo(1);

        clock.advance(Duration.ofHours(5)); // long idle: every bucket is stale, none is reused by mistake
        window.success(1_000);
        assertThat(window.counts()).isEqualTo(new RequestWindow.Counts(Duration.ofSeconds(30), 1, 0, 0, 0, 0));
    }

    @Test
    void callerErrorsAreKeptOutOfTheFailuresAndEverythingElseCounts() {
        for (Throwable callers : new Throwable[] {new ValidationException("text", "", "must not be blank"),
                new AuthenticationException("openai", 401, "rejected the credentials"),
                new ProviderException("bad request", 400, null, false), new ProviderException("no such model", 404, null, false),
                new ProviderException("too large", 413, null, false), new ProviderException("unprocessable", 422, null, false)}) {
            assertThat(RequestWindow.isCallerError(callers)).as(callers.getMessage()).isTrue();
            window.failure(callers);
        }
        for (Throwable provider : new Throwable[] {new ProviderException("request timeout", 408, null, true),
                new RateLimitedException("slow down", null), new ProviderException("down", 503, null, true),
                new ProviderException("connection reset", 0, null, true),
                new ProviderTimeoutException("no answer", Duration.ofSeconds(1), true, null),
                new CircuitOpenException("openai", Duration.ofSeconds(1), Duration.ZERO), new IllegalStateException("bug")}) {
            assertThat(RequestWindow.isCallerError(provider)).as(provider.getMessage()).isFalse();
            window.failure(provider);
        }
        assertThat(window.counts().callerErrors()).isEqualTo(6);
        assertThat(window.counts().failures()).isEqualTo(7);
        assertThat(window.counts().counted()).isEqualTo(7);
    }
}
