package dev.parallelrag.provider.http;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads how long a provider asks us to wait: {@code Retry-After} (seconds or an HTTP date),
 * {@code retry-after-ms}, and OpenAI's {@code x-ratelimit-reset-requests} / {@code x-ratelimit-reset-tokens}
 * (Go-style durations such as {@code 1s}, {@code 6m0s}, {@code 250ms}). The longest wait wins.
 */
final class RetryAfterHeaders {

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private RetryAfterHeaders() {
    }

    static Optional<Duration> parse(HttpHeaders headers, Clock clock) {
        Duration best = null;
        for (String v : headers.allValues("retry-after")) {
            best = max(best, retryAfter(v, clock));
        }
        for (String v : headers.allValues("retry-after-ms")) {
            best = max(best, millis(v));
        }
        for (String name : List.of("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens")) {
            for (String v : headers.allValues(name)) {
                best = max(best, goDuration(v));
            }
        }
        return Optional.ofNullable(best);
    }

    static Duration retryAfter(String value, Clock clock) {
        String v = value.strip();
        try {
            return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static Duration millis(String value) {
        try {
            return Duration.ofMillis((long) Double.parseDouble(value.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Duration goDuration(String value) {
        Matcher m = GO_DURATION.matcher(value.strip());
        double ms = 0;
        boolean any = false;
        while (m.find()) {
            any = true;
            double n = Double.parseDouble(m.group(1));
            ms += switch (m.group(2)) {
                case "h" -> n * 3_600_000;
                case "m" -> n * 60_000;
                case "s" -> n * 1_000;
                default -> n;
            };
        }
        if (!any) {
            try {
                return Duration.ofMillis((long) (Double.parseDouble(value.strip()) * 1000));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return Duration.ofMillis((long) Math.ceil(ms));
    }

    private static Duration max(Duration a, Duration b) {
        if (b == null) {
            return a;
        }
        return a == null || b.compareTo(a) > 0 ? b : a;
    }
}
