package dev.parallelrag.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.Citation;
import dev.parallelrag.pipeline.ResultJson;
import dev.parallelrag.resilience.ResilienceConfig;
import java.io.PrintWriter;
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
    StoreOptions store;

    @Mixin
    LlmOptions llm;

    @Mixin
    RemoteCallOptions remote;

    @Mixin
    FallbackLlmOptions fallbackLlm;

    @Option(names = "--k", paramLabel = "N", defaultValue = "5", description = "Chunks retrieved as sources (default: ${DEFAULT-VALUE}).")
    int k;

    @Mixin
    FilterOptions filter;

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
             ParallelRag rag = ParallelRag.builder(store.location(index.index)).k(k).chatModel(client)
                     .fallbackToExtractive(fallback == Fallback.extractive).build()) {
            answer = rag.ask(rag.query(question).filter(filter.filter()).build());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(ResultJson.answer(answer)));
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
}
