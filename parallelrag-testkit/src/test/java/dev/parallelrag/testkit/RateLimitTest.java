package dev.parallelrag.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void requestsBeyondTheRpmGet429WithRetryAfterFromTheWindow() {
        try (FakeProviderServer s = FakeProviderServer.builder().rateLimit(3, 0).start()) {
            for (int i = 0; i < 3; i++) {
                assertThat(FaultTest.chat(s, "p" + i).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> limited = FaultTest.chat(s, "p3");
            assertThat(limited.statusCode()).isEqualTo(429);
            long retryAfter = Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 60L);
            assertThat(limited.headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
            assertThat(limited.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
            assertThat(limited.headers().firstValue("x-ratelimit-reset-requests")).isPresent();
            assertThat(s.requests().get(3).outcome()).isEqualTo("rate_limited");
        }
    }

    @Test
    void slidingWindowAdmitsAgainOnceTheOldestRequestLeavesIt() {
        AtomicLong clock = new AtomicLong();
        RequestWindowLimiter limiter = new RequestWindowLimiter(2, 0, Duration.ofSeconds(60), clock::get);
        assertThat(limiter.tryAcquire(1).admitted()).isTrue();
        clock.set(Duration.ofSeconds(10).toNanos());
        assertThat(limiter.tryAcquire(1).admitted()).isTrue();
        clock.set(Duration.ofSeconds(30).toNanos());
        RequestWindowLimiter.Decision d = limiter.tryAcquire(1);
        assertThat(d.admitted()).isFalse();
        assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        clock.set(Duration.ofSeconds(60).toNanos());
        assertThat(limiter.tryAcquire(1).admitted()).isTrue();
        clock.set(Duration.ofSeconds(61).toNanos());
        assertThat(limiter.tryAcquire(1).retryAfter()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void tokenLimitCountsTokensAndWaitsForEnoughToExpire() {
        AtomicLong clock = new AtomicLong();
        RequestWindowLimiter limiter = new RequestWindowLimiter(0, 100, Duration.ofSeconds(60), clock::get);
        assertThat(limiter.tryAcquire(60).admitted()).isTrue();
        clock.set(Duration.ofSeconds(20).toNanos());
        assertThat(limiter.tryAcquire(30).admitted()).isTrue();
        RequestWindowLimiter.Decision d = limiter.tryAcquire(50);
        assertThat(d.admitted()).isFalse();
        assertThat(d.limitName()).isEqualTo("tokens");
        assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(40));
        assertThat(limiter.tryAcquire(10).admitted()).isTrue();
    }

    @Test
    void tpmIsEnforcedOnTheServerWithTheChatTokenCost() {
        // each call: prompt tokens (3 + 1 + 3) + completion tokens (echo : x = 3) = 10
        try (FakeProviderServer s = FakeProviderServer.builder().rateLimit(0, 25).start()) {
            assertThat(FaultTest.chat(s, "x").statusCode()).isEqualTo(200);
            assertThat(FaultTest.chat(s, "y").statusCode()).isEqualTo(200);
            HttpResponse<String> limited = FaultTest.chat(s, "z");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("25");
        }
    }

    @Test
    void aShortWindowRefillsSoTestsCanCoverRecovery() throws InterruptedException {
        try (FakeProviderServer s = FakeProviderServer.builder().rateLimit(1, 0)
                .rateLimitWindow(Duration.ofMillis(200)).start()) {
            assertThat(FaultTest.chat(s, "a").statusCode()).isEqualTo(200);
            assertThat(FaultTest.chat(s, "b").statusCode()).isEqualTo(429);
            Thread.sleep(250);
            assertThat(FaultTest.chat(s, "c").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anthropicRateLimitUsesItsOwnHeaders() {
        try (FakeProviderServer s = FakeProviderServer.builder().rateLimit(1, 0).start()) {
            String body = "{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            Http.post(s.baseUrl() + "/v1/messages", body, Http.anthropic());
            HttpResponse<String> r = Http.post(s.baseUrl() + "/v1/messages", body, Http.anthropic());
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(Http.json(r).at("/error/type").asText()).isEqualTo("rate_limit_error");
            assertThat(r.headers().firstValue("retry-after")).isPresent();
            assertThat(r.headers().firstValue("anthropic-ratelimit-requests-remaining")).hasValue("0");
        }
    }
}
