package dev.parallelrag.pipeline;

import dev.parallelrag.stats.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@link Rag#ask(Query)} and {@link Rag#askStreaming}.
 *
 * @param text           the answer; citations appear as {@code [n]}
 * @param mode           {@link Mode#GENERATED} by an LLM, or {@link Mode#EXTRACTIVE} (sentences quoted from sources)
 * @param citations      the numbered sources, in number order: for an extractive answer the quoted sentences, for a
 *                       generated one the sources its text cites ({@code [n]}), each once
 * @param usage          tokens used, never zero: the LLM call's as its provider reported them; when no provider
 *                       counted any (an extractive answer, no matching text, a provider that reports none), counted
 *                       in cl100k_base tokens: the prompt is the question and the passages the answer was drawn from
 *                       (for an LLM, the prompt sent), the completion is the answer's text
 * @param timings        time spent per step
 * @param fallbackReason why a generated answer was replaced by an extractive one, or null
 * @param servedBy       the LLM that wrote a generated answer, as {@code provider:model} (with fallbacks, the
 *                       candidate that served it); {@code ""} for an extractive answer or when no LLM was asked
 * @param droppedCitations how many distinct source numbers a generated answer's text cites that were not among the
 *                       sources the model was given: they are not in {@code citations} (the text keeps them as
 *                       written, since a streamed answer has already delivered it); 0 for an extractive answer
 * @param truncated      whether the LLM stopped at the answer's token limit ({@link Query#maxAnswerTokens()}) rather
 *                       than at the end of its answer; false for an extractive answer
 */
public record Answer(String text, Mode mode, List<Citation> citations, TokenUsage usage, Timings timings,
                     String fallbackReason, String servedBy, int droppedCitations, boolean truncated) {

    public Answer {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(mode, "mode");
        citations = List.copyOf(citations);
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(timings, "timings");
        Objects.requireNonNull(servedBy, "servedBy");
    }

    /** How the answer text was made. */
    public enum Mode { GENERATED, EXTRACTIVE }

    /** Time per step of {@link Rag#ask}. */
    public record Timings(Duration embed, Duration retrieve, Duration generate, Duration total) {
    }

    public boolean extractive() {
        return mode == Mode.EXTRACTIVE;
    }
}
