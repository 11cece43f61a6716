package dev.parallelrag.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.error.ErrorKind;
import dev.parallelrag.error.ParallelRagException;
import dev.parallelrag.error.StoppedException;
import dev.parallelrag.llm.Completion;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Writes one JSONL result line per input item, in the CLI contract's shapes. */
final class ResultWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    /** The error kind of an item left undone by a stop. */
    static final String INTERRUPTED = "interrupted";

    private final PrintStream out;

    ResultWriter(PrintStream out) {
        this.out = out;
    }

    void completion(JsonNode id, Completion c) {
        line(g -> {
            g.writeStartObject();
            g.writeFieldName("id");
            JSON.writeTree(g, id);
            g.writeStringField("text", c.content());
            g.writeObjectFieldStart("usage");
            g.writeNumberField("prompt_tokens", c.usage().promptTokens());
            g.writeNumberField("completion_tokens", c.usage().completionTokens());
            g.writeNumberField("total_tokens", c.usage().totalTokens());
            g.writeEndObject();
            g.writeNumberField("latency_ms", c.latency().toMillis());
            g.writeNumberField("attempts", c.attempts());
            g.writeStringField("served_by", c.servedBy());
            g.writeEndObject();
        });
    }

    void embedding(JsonNode id, float[] vector) {
        line(g -> {
            g.writeStartObject();
            g.writeFieldName("id");
            JSON.writeTree(g, id);
            g.writeArrayFieldStart("embedding");
            for (float f : vector) {
                g.writeNumber(f);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    void error(JsonNode id, String kind, String message) {
        line(g -> {
            g.writeStartObject();
            g.writeFieldName("id");
            JSON.writeTree(g, id);
            g.writeObjectFieldStart("error");
            g.writeStringField("kind", kind);
            g.writeStringField("message", message);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    void error(JsonNode id, Throwable t) {
        Throwable e = unwrap(t);
        error(id, kindOf(e), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** A line of an earlier run's output, written again as it was ({@code --retry-failed}). */
    void reused(String line) {
        out.println(line);
    }

    /**
     * The contract's kinds: rate_limited, timeout, auth, validation, server, circuit_open, other, and interrupted
     * for an item that a stop (SIGTERM, SIGINT) left undone.
     */
    static String kindOf(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof StoppedException) {
            return INTERRUPTED;
        }
        if (e instanceof ParallelRagException p) {
            ErrorKind k = p.kind();
            return k == ErrorKind.STORE ? "other" : k.wireName();
        }
        return "other";
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private void line(Body body) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(sw)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println(sw);
    }
}
