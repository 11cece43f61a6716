package com.example;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import java.nio.file.Path;
import java.util.List;

public class Quickstart {
    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        String question = args[1];
        Path index = Path.of(".parallelrag");

        // no LLM: the indexed sentences closest to the question, each with its numbered source
        try (ParallelRag rag = ParallelRag.open(index)) {
            System.out.print(rag.ingest(List.of(folder)).toText());
            print(rag.ask(question));
        }

        // an LLM on any OpenAI-compatible endpoint (OPENAI_BASE_URL, OPENAI_API_KEY) writes the answer
        if (System.getenv("OPENAI_BASE_URL") != null) {
            try (LlmClient llm = Providers.llmClient(ProviderKind.COMPATIBLE, "gpt-4o-mini");
                 ParallelRag rag = ParallelRag.builder(index).chatModel(llm).build()) {
                print(rag.ask(question));
            }
        }
    }

    static void print(Answer answer) {
        System.out.println(answer.mode() + ": " + answer.text());
        answer.citations().forEach(c -> System.out.println("[" + c.number() + "] " + c.source() + ", lines " + c.lineStart() + "-" + c.lineEnd()));
    }
}
