package dev.parallelrag.pipeline;

import dev.parallelrag.stats.TokenUsage;
import dev.parallelrag.store.SearchHit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shape of search hits and answers, as plain maps and lists for any JSON writer: what {@code search --json}
 * and {@code ask --json} print and what the server's {@code /v1/search} and {@code /v1/ask} return, so the two can
 * never drift apart. Offsets are code points ({@code start}, {@code end}), for consumers in languages that do not
 * count UTF-16 units; field names are snake_case and fixed: they are a public contract.
 */
public final class ResultJson {

    private ResultJson() {
    }

    /** The hits as an array of {@code rank, score, source, chunk_id, start, end, text}, best first. */
    public static List<Map<String, Object>> hits(List<SearchHit> hits) {
        List<Map<String, Object>> array = new ArrayList<>();
        int rank = 1;
        for (SearchHit h : hits) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", rank++);
            m.put("score", h.score());
            m.put("source", h.source());
            m.put("chunk_id", h.chunkId());
            m.put("start", codePoint(h, "cp_start", h.start()));
            m.put("end", codePoint(h, "cp_end", h.end()));
            m.put("text", h.text());
            array.add(m);
        }
        return array;
    }

    /** The answer: {@code answer, mode, fallback_reason, served_by, citations, usage, timings}. */
    public static Map<String, Object> answer(Answer a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answer", a.text());
        m.put("mode", a.mode().name().toLowerCase(Locale.ROOT));
        m.put("fallback_reason", a.fallbackReason());
        m.put("served_by", a.servedBy().isEmpty() ? null : a.servedBy());
        m.put("citations", citations(a.citations()));
        m.put("usage", usage(a.usage()));
        Map<String, Long> t = new LinkedHashMap<>();
        t.put("embed_ms", a.timings().embed().toMillis());
        t.put("retrieve_ms", a.timings().retrieve().toMillis());
        t.put("generate_ms", a.timings().generate().toMillis());
        t.put("total_ms", a.timings().total().toMillis());
        m.put("timings", t);
        return m;
    }

    /** The citations as an array of {@code number, source, chunk_id, start, end, line_start, line_end, score, text}. */
    public static List<Map<String, Object>> citations(List<Citation> citations) {
        List<Map<String, Object>> array = new ArrayList<>();
        for (Citation c : citations) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("number", c.number());
            cm.put("source", c.source());
            cm.put("chunk_id", c.chunkId());
            cm.put("start", c.cpStart());
            cm.put("end", c.cpEnd());
            cm.put("line_start", c.lineStart());
            cm.put("line_end", c.lineEnd());
            cm.put("score", c.score());
            cm.put("text", c.text());
            array.add(cm);
        }
        return array;
    }

    /** {@code prompt_tokens, completion_tokens, total_tokens}: the names OpenAI's usage object uses. */
    public static Map<String, Object> usage(TokenUsage usage) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt_tokens", usage.promptTokens());
        m.put("completion_tokens", usage.completionTokens());
        m.put("total_tokens", usage.totalTokens());
        return m;
    }

    private static int codePoint(SearchHit h, String key, int fallback) {
        String v = h.metadata().get(key);
        return v == null ? fallback : Integer.parseInt(v);
    }
}
