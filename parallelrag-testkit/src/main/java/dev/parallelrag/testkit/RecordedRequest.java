package dev.parallelrag.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request the server received, as seen on the wire, with what the server did with it.
 *
 * @param sequence 1-based arrival number since start or the last {@code reset()}
 * @param method   HTTP method
 * @param path     request path, e.g. {@code /v1/chat/completions}
 * @param query    raw query string, or "" when none
 * @param headers  request headers, names lower-cased
 * @param body     request body as UTF-8 text
 * @param received arrival time
 * @param outcome  what the server did: "ok", "status 429", "rate_limited", "unauthorized", "bad_request",
 *                 "not_found", "connection_reset", "stall", "malformed_json", "truncated_stream", "wrong_item_count"
 */
public record RecordedRequest(long sequence, String method, String path, String query,
                              Map<String, List<String>> headers, String body, Instant received, String outcome) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** First value of a header (case-insensitive name). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public boolean hasHeader(String name) {
        return header(name).isPresent();
    }

    /** Whether any credential was sent: {@code Authorization}, {@code x-api-key}, {@code x-goog-api-key} or {@code key=}. */
    public boolean hasCredentials() {
        return hasHeader("authorization") || hasHeader("x-api-key") || hasHeader("x-goog-api-key")
                || query.startsWith("key=") || query.contains("&key=");
    }

    RecordedRequest withOutcome(String newOutcome) {
        return new RecordedRequest(sequence, method, path, query, headers, body, received, newOutcome);
    }

    /** Credentials are redacted, so a test failure message never prints a key. */
    @Override
    public String toString() {
        return "RecordedRequest[#" + sequence + " " + method + " " + path + (query.isEmpty() ? "" : "?<query>")
                + ", credentials=" + hasCredentials() + ", outcome=" + outcome + ", body="
                + (body.length() > 200 ? body.substring(0, 200) + "..." : body) + "]";
    }
}
