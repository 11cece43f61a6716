package dev.parallelrag.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterHeadersTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void readsSecondsDatesMillisAndOpenAiResetHeadersTakingTheLongest() {
        assertThat(RetryAfterHeaders.parse(headers(Map.of("Retry-After", List.of("3"))), CLOCK)).contains(Duration.ofSeconds(3));
        assertThat(RetryAfterHeaders.parse(headers(Map.of("retry-after", List.of("Thu, 01 Jan 2026 00:00:07 GMT"))), CLOCK))
                .contains(Duration.ofSeconds(7));
        assertThat(RetryAfterHeaders.parse(headers(Map.of("retry-after-ms", List.of("250"))), CLOCK)).contains(Duration.ofMillis(250));
        assertThat(RetryAfterHeaders.parse(headers(Map.of("x-ratelimit-reset-requests", List.of("1m30.5s"),
                "x-ratelimit-reset-tokens", List.of("20ms"))), CLOCK)).contains(Duration.ofMillis(90_500));
        assertThat(RetryAfterHeaders.parse(headers(Map.of()), CLOCK)).isEmpty();
        assertThat(RetryAfterHeaders.parse(headers(Map.of("Retry-After", List.of("soon"))), CLOCK)).isEmpty();
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertThat(RetryAfterHeaders.retryAfter("Wed, 31 Dec 2025 23:00:00 GMT", CLOCK)).isEqualTo(Duration.ZERO);
    }
}
