package dev.parallelrag.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.Citation;
import dev.parallelrag.resilience.ResilienceConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parallelrag ask "question"}: an answer with numbered sources. */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Answer a question from the index, citing numbered sources (path and line range).",
                "Without --llm the answer is extractive: the indexed sentences most similar to the question."})
final class AskCommand extends IndexCommand {

    enum Fallback { extractive }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "QUESTION")
    String question;

    @Mixin
    IndexOptions index;

    @Mixin
    LlmOptions llm;

    @Mixin
    RemoteCallOptions remote;

    @Mixin
    FallbackLlmOptions fallbackLlm;

    @Option(names = "--k", paramLabel = "N", defaultValue = "5", description = "Chunks retrieved as sources (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--fallback", paramLabel = "MODE",
            description = "extractive: if the LLM fails after its retries, answer extractively (and say so) instead of failing.")
    Fallback fallback;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;


    @Override
    int run() throws Exception {
        remote.requireRemote(llm.kind != LlmOptions.Kind.none, "they set the LLM call, and --llm none makes none");
        Answer answer;
        Optional<ResilienceConfig> resilience = fallbackLlm.resilience(remote.resilience());
        try (FallbackLlmOptions.Fallbacks fallbacks = fallbackLlm.create(System::getenv, resilience.orElse(null), null);
             LlmClient client = llm.create(resilience, fallbacks);
             ParallelRag rag = ParallelRag.builder(index.index).k(k).chatModel(client)
                     .fallbackToExtractive(fallback == Fallback.extractive).build()) {
            answer = rag.ask(question);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(toJson(answer)));
        } else {
            print(out, answer);
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, Answer answer) {
        if (answer.fallbackReason() != null) {
            out.println("(the LLM failed: " + oneLine(answer.fallbackReason()) + ")");
            out.println("(extractive answer instead: the indexed sentences most similar to the question)");
        } else if (answer.extractive()) {
            out.println("(extractive answer, no LLM configured: the indexed sentences most similar to the question)");
        }
        out.println(answer.text());
        if (!answer.citations().isEmpty()) {
            out.println();
            out.println("Sources:");
            for (Citation c : answer.citations()) {
                out.printf("[%d] %s, %s (score %.3f)%n", c.number(), c.source(), lines(c), c.score());
            }
        }
    }

    private static String lines(Citation c) {
        String lines = c.lineStart() == c.lineEnd() ? "line " + c.lineStart() : "lines " + c.lineStart() + "-" + c.lineEnd();
        return lines + ", chars " + c.cpStart() + "-" + c.cpEnd(); // code points, as in --json
    }

    static Map<String, Object> toJson(Answer a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answer", a.text());
        m.put("mode", a.mode().name().toLowerCase());
        m.put("fallback_reason", a.fallbackReason());
        m.put("served_by", a.servedBy().isEmpty() ? null : a.servedBy());
        List<Map<String, Object>> citations = new ArrayList<>();
        for (Citation c : a.citations()) {
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
            citations.add(cm);
        }
        m.put("citations", citations);
        m.put("usage", Map.of("prompt_tokens", a.usage().promptTokens(), "completion_tokens", a.usage().completionTokens(),
                "total_tokens", a.usage().totalTokens()));
        Map<String, Long> t = new LinkedHashMap<>();
        t.put("embed_ms", a.timings().embed().toMillis());
        t.put("retrieve_ms", a.timings().retrieve().toMillis());
        t.put("generate_ms", a.timings().generate().toMillis());
        t.put("total_ms", a.timings().total().toMillis());
        m.put("timings", t);
        return m;
    }
}
