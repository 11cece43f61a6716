package dev.parallelrag.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A snapshot of one client's counters, for people ({@link #toString()}) and scripts ({@link #toJson()}).
 * A request is one call of the client API (one completion, one embedding batch), however many attempts
 * it took.
 *
 * @param provider         provider name, e.g. {@code openai} or {@code local}
 * @param model            model name
 * @param totalRequests    requests finished (successes plus failures)
 * @param successes        requests that succeeded
 * @param failuresByKind   failed requests per kind: validation, auth, rate_limited, timeout, server,
 *                         circuit_open, other (always all seven keys)
 * @param successRate      successes / total, 1.0 when there were no requests
 * @param latency          end-to-end latency of successful requests, retries and waits included
 * @param attemptLatency   latency of single attempts (successful or not)
 * @param retries          attempts beyond the first
 * @param failovers        requests a fallback served instead of the first candidate, per pair (empty without
 *                         fallbacks), ordered by from and to
 * @param breaker          breaker state and transitions
 * @param tokensIn         prompt/input tokens
 * @param tokensOut        completion/output tokens
 * @param inFlight         requests running now
 * @param concurrencyLimit the current adaptive in-flight limit
 * @param uptime           time since the client was created
 */
public record ClientStats(
        String provider,
        String model,
        long totalRequests,
        long successes,
        Map<String, Long> failuresByKind,
        double successRate,
        LatencySummary latency,
        LatencySummary attemptLatency,
        long retries,
        List<FailoverCount> failovers,
        BreakerStats breaker,
        long tokensIn,
        long tokensOut,
        long inFlight,
        int concurrencyLimit,
        Duration uptime) {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    public ClientStats {
        failuresByKind = Map.copyOf(failuresByKind);
        failovers = List.copyOf(failovers);
    }

    /** All requests that a fallback served, whatever the pair. */
    public long failoverTotal() {
        return failovers.stream().mapToLong(FailoverCount::count).sum();
    }

    public long failures() {
        return totalRequests - successes;
    }

    /** Field order fixed, durations in milliseconds, for JSON and other generic output. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", provider);
        m.put("model", model);
        m.put("total", totalRequests);
        m.put("successes", successes);
        m.put("failures", failures());
        Map<String, Long> kinds = new LinkedHashMap<>();
        for (String k : StatsRecorder.FAILURE_KINDS) {
            kinds.put(k, failuresByKind.getOrDefault(k, 0L));
        }
        m.put("failures_by_kind", kinds);
        m.put("success_rate", successRate);
        m.put("latency_ms", latencyMap(latency));
        m.put("attempt_latency_ms", latencyMap(attemptLatency));
        m.put("retries", retries);
        List<Map<String, Object>> moved = new ArrayList<>();
        for (FailoverCount f : failovers) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("from", f.from());
            fm.put("to", f.to());
            fm.put("count", f.count());
            moved.add(fm);
        }
        m.put("failovers", moved);
        m.put("breaker", Map.of("state", breaker.state(), "transitions", breaker.transitions()));
        m.put("tokens_in", tokensIn);
        m.put("tokens_out", tokensOut);
        m.put("in_flight", inFlight);
        m.put("concurrency_limit", concurrencyLimit);
        m.put("uptime_ms", uptime.toMillis());
        return m;
    }

    private static Map<String, Object> latencyMap(LatencySummary l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", l.count());
        m.put("mean", l.meanMs());
        m.put("p50", l.p50Ms());
        m.put("p95", l.p95Ms());
        m.put("p99", l.p99Ms());
        m.put("max", l.maxMs());
        return m;
    }

    /** One-line JSON object. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stats could not be written as JSON", e);
        }
    }

    /** A short human-readable summary. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s/%s: %d requests, %d ok, %d failed (success rate %.1f%%)",
                provider, model, totalRequests, successes, failures(), successRate * 100));
        failuresByKind.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(", ").append(e.getKey()).append('=').append(e.getValue()));
        sb.append(String.format(Locale.ROOT, "; latency p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, mean %.0f ms",
                latency.p50Ms(), latency.p95Ms(), latency.p99Ms(), latency.meanMs()));
        sb.append(String.format(Locale.ROOT, "; %d retries", retries));
        failovers.forEach(f -> sb.append(String.format(Locale.ROOT, "; %d failed over %s -> %s", f.count(), f.from(), f.to())));
        sb.append(String.format(Locale.ROOT, "; breaker %s (%d transitions); tokens in %d, out %d;"
                        + " in flight %d (limit %d); uptime %d s",
                breaker.state(), breaker.transitions(), tokensIn, tokensOut, inFlight, concurrencyLimit,
                uptime.toSeconds()));
        return sb.toString();
    }
}
